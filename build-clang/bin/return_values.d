build-clang/bin/return_values: lessons/03-many-threads/return_values.c \
  common/cli.h common/executor.h common/log.h common/pt.h common/queue.h \
  common/timing.h

common/cli.h:

common/executor.h:

common/log.h:

common/pt.h:

common/queue.h:

common/timing.h:
