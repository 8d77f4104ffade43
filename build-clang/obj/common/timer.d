build-clang/obj/common/timer.o: common/timer.c common/timer.h \
  common/alloc.h common/pt.h common/timing.h

common/timer.h:

common/alloc.h:

common/pt.h:

common/timing.h:
