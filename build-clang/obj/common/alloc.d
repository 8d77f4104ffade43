build-clang/obj/common/alloc.o: common/alloc.c common/alloc.h \
  common/fail.h

common/alloc.h:

common/fail.h:
