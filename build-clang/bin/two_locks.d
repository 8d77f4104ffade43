build-clang/bin/two_locks: lessons/06-deadlock/two_locks.c \
  common/barrier.h common/cli.h common/log.h common/pt.h \
  common/watchdog.h

common/barrier.h:

common/cli.h:

common/log.h:

common/pt.h:

common/watchdog.h:
