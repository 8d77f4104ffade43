build-clang/bin/prodcom_pipeline: \
  lessons/09-producer-consumer-queue/prodcom_pipeline.c common/cli.h \
  common/event.h common/executor.h common/log.h common/queue.h \
  common/timing.h

common/cli.h:

common/event.h:

common/executor.h:

common/log.h:

common/queue.h:

common/timing.h:
