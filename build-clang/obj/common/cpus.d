build-clang/obj/common/cpus.o: common/cpus.c common/cpus.h

common/cpus.h:
