build-clang/bin/multiple_threads: \
  lessons/03-many-threads/multiple_threads.c common/cli.h common/log.h \
  common/pt.h common/thread_function.h

common/cli.h:

common/log.h:

common/pt.h:

common/thread_function.h:
