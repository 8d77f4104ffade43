build-clang/obj/common/barrier.o: common/barrier.c common/barrier.h \
  common/alloc.h common/fail.h common/pt.h

common/barrier.h:

common/alloc.h:

common/fail.h:

common/pt.h:
