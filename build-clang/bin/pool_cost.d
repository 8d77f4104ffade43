build-clang/bin/pool_cost: lessons/03-many-threads/pool_cost.c \
  common/cli.h common/executor.h common/pt.h common/timing.h

common/cli.h:

common/executor.h:

common/pt.h:

common/timing.h:
