build-clang/bin/thread_kinds: lessons/01-single-thread/thread_kinds.c \
  common/cli.h common/log.h common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
