build-clang/bin/executor: lessons/03-many-threads/executor.c common/cli.h \
  common/executor.h common/thread_function.h

common/cli.h:

common/executor.h:

common/thread_function.h:
