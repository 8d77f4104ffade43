build-clang/obj/common/pickle.o: common/pickle.c common/pickle.h

common/pickle.h:
