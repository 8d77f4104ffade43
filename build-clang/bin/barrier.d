build-clang/bin/barrier: lessons/10-semaphore-timer-barrier/barrier.c \
  common/barrier.h common/cli.h common/log.h common/pt.h common/timing.h

common/barrier.h:

common/cli.h:

common/log.h:

common/pt.h:

common/timing.h:
