build-clang/obj/common/event.o: common/event.c common/event.h \
  common/alloc.h common/pt.h common/timing.h

common/event.h:

common/alloc.h:

common/pt.h:

common/timing.h:
