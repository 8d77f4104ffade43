build-clang/bin/stolen_wakeup: \
  lessons/08-producer-consumer-lock/stolen_wakeup.c common/cli.h \
  common/event.h common/log.h common/pt.h

common/cli.h:

common/event.h:

common/log.h:

common/pt.h:
