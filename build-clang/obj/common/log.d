build-clang/obj/common/log.o: common/log.c common/log.h common/alloc.h \
  common/fail.h common/pt.h

common/log.h:

common/alloc.h:

common/fail.h:

common/pt.h:
