build-clang/bin/join_thread: lessons/02-daemon-vs-join/join_thread.c \
  common/cli.h common/log.h common/pt.h common/thread_function.h

common/cli.h:

common/log.h:

common/pt.h:

common/thread_function.h:
