build-clang/bin/prodcom_queue: \
  lessons/09-producer-consumer-queue/prodcom_queue.c common/cli.h \
  common/event.h common/executor.h common/log.h common/queue.h \
  common/timing.h

common/cli.h:

common/event.h:

common/executor.h:

common/log.h:

common/queue.h:

common/timing.h:
