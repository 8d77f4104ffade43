build-clang/bin/prodcom_lock: \
  lessons/08-producer-consumer-lock/prodcom_lock.c common/cli.h \
  common/executor.h common/fail.h common/log.h common/semaphore.h

common/cli.h:

common/executor.h:

common/fail.h:

common/log.h:

common/semaphore.h:
