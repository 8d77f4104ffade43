build-clang/obj/common/net.o: common/net.c common/net.h common/fail.h

common/net.h:

common/fail.h:
