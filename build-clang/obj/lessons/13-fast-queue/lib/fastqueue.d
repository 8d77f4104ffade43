build-clang/obj/lessons/13-fast-queue/lib/fastqueue.o: \
  lessons/13-fast-queue/lib/fastqueue.c \
  lessons/13-fast-queue/lib/fastqueue.h common/queue.h common/alloc.h \
  common/cpus.h common/pt.h common/timing.h

lessons/13-fast-queue/lib/fastqueue.h:

common/queue.h:

common/alloc.h:

common/cpus.h:

common/pt.h:

common/timing.h:
