build-clang/bin/io_wait: lessons/12-parallel-speedup/io_wait.c \
  common/cli.h common/pt.h common/timing.h

common/cli.h:

common/pt.h:

common/timing.h:
