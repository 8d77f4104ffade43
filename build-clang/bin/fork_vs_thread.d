build-clang/bin/fork_vs_thread: \
  lessons/16-event-loop-and-processes/fork_vs_thread.c common/alloc.h \
  common/cli.h common/fail.h common/log.h common/pt.h

common/alloc.h:

common/cli.h:

common/fail.h:

common/log.h:

common/pt.h:
