build-clang/bin/publish_relaxed: lessons/14-atomics/publish_relaxed.c \
  common/cli.h common/pt.h common/timing.h

common/cli.h:

common/pt.h:

common/timing.h:
