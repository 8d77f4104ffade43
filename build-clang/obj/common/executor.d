build-clang/obj/common/executor.o: common/executor.c common/executor.h \
  common/alloc.h common/fail.h common/pt.h

common/executor.h:

common/alloc.h:

common/fail.h:

common/pt.h:
