build-clang/bin/semaphore: lessons/10-semaphore-timer-barrier/semaphore.c \
  common/cli.h common/log.h common/pt.h common/semaphore.h \
  common/timing.h

common/cli.h:

common/log.h:

common/pt.h:

common/semaphore.h:

common/timing.h:
