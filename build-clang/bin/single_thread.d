build-clang/bin/single_thread: lessons/01-single-thread/single_thread.c \
  common/cli.h common/log.h common/pt.h common/thread_function.h

common/cli.h:

common/log.h:

common/pt.h:

common/thread_function.h:
