build-clang/bin/lost_wakeup: \
  lessons/08-producer-consumer-lock/lost_wakeup.c common/cli.h \
  common/log.h common/pt.h common/watchdog.h

common/cli.h:

common/log.h:

common/pt.h:

common/watchdog.h:
