build-clang/bin/racecond: lessons/04-race-condition/racecond.c \
  common/cli.h common/executor.h common/log.h common/timing.h

common/cli.h:

common/executor.h:

common/log.h:

common/timing.h:
