build-clang/obj/common/queue.o: common/queue.c common/queue.h \
  common/alloc.h common/pt.h common/timing.h

common/queue.h:

common/alloc.h:

common/pt.h:

common/timing.h:
