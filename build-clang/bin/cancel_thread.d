build-clang/bin/cancel_thread: lessons/02-daemon-vs-join/cancel_thread.c \
  common/alloc.h common/cli.h common/log.h common/pt.h

common/alloc.h:

common/cli.h:

common/log.h:

common/pt.h:
