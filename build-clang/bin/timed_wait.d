build-clang/bin/timed_wait: \
  lessons/08-producer-consumer-lock/timed_wait.c common/cli.h \
  common/log.h common/portable.h common/pt.h common/timing.h

common/cli.h:

common/log.h:

common/portable.h:

common/pt.h:

common/timing.h:
