build-clang/bin/cond_wait: lessons/08-producer-consumer-lock/cond_wait.c \
  common/cli.h common/log.h common/pt.h common/timing.h

common/cli.h:

common/log.h:

common/pt.h:

common/timing.h:
