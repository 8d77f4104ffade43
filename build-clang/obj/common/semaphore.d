build-clang/obj/common/semaphore.o: common/semaphore.c common/semaphore.h \
  common/alloc.h common/fail.h common/pt.h common/timing.h

common/semaphore.h:

common/alloc.h:

common/fail.h:

common/pt.h:

common/timing.h:
