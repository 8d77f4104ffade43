build-clang/bin/loop_bench: \
  lessons/16-event-loop-and-processes/loop_bench.c common/barrier.h \
  common/cli.h common/fail.h common/log.h common/net.h common/pickle.h \
  common/pt.h common/timing.h

common/barrier.h:

common/cli.h:

common/fail.h:

common/log.h:

common/net.h:

common/pickle.h:

common/pt.h:

common/timing.h:
