build-clang/bin/relock: lessons/07-rlock/relock.c common/cli.h \
  common/log.h common/pt.h common/watchdog.h

common/cli.h:

common/log.h:

common/pt.h:

common/watchdog.h:
