build-clang/bin/thread_ids: lessons/01-single-thread/thread_ids.c \
  common/barrier.h common/cli.h common/log.h common/portable.h \
  common/pt.h

common/barrier.h:

common/cli.h:

common/log.h:

common/portable.h:

common/pt.h:
