build-clang/obj/common/timing.o: common/timing.c common/timing.h \
  common/fail.h common/portable.h common/pt.h

common/timing.h:

common/fail.h:

common/portable.h:

common/pt.h:
