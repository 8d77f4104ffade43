build-clang/obj/common/fail.o: common/fail.c common/fail.h

common/fail.h:
