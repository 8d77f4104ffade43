build-clang/bin/deadlock: lessons/06-deadlock/deadlock.c common/cli.h \
  common/log.h common/pt.h common/watchdog.h

common/cli.h:

common/log.h:

common/pt.h:

common/watchdog.h:
