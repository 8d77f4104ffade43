build-clang/bin/queue_bench: lessons/13-fast-queue/queue_bench.c \
  common/cli.h lessons/13-fast-queue/lib/fastqueue.h common/queue.h \
  common/pt.h common/timing.h

common/cli.h:

lessons/13-fast-queue/lib/fastqueue.h:

common/queue.h:

common/pt.h:

common/timing.h:
