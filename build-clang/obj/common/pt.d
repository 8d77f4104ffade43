build-clang/obj/common/pt.o: common/pt.c common/pt.h common/fail.h \
  common/portable.h

common/pt.h:

common/fail.h:

common/portable.h:
