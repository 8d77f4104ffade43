build-clang/bin/timer: lessons/10-semaphore-timer-barrier/timer.c \
  common/cli.h common/event.h common/log.h common/timer.h \
  common/timing.h

common/cli.h:

common/event.h:

common/log.h:

common/timer.h:

common/timing.h:
