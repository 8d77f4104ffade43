build-clang/bin/cancel_cleanup: lessons/06-deadlock/cancel_cleanup.c \
  common/cli.h common/fail.h common/log.h common/pt.h common/watchdog.h

common/cli.h:

common/fail.h:

common/log.h:

common/pt.h:

common/watchdog.h:
