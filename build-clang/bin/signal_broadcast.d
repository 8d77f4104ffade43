build-clang/bin/signal_broadcast: \
  lessons/08-producer-consumer-lock/signal_broadcast.c common/cli.h \
  common/log.h common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
