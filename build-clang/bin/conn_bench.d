build-clang/bin/conn_bench: lessons/11-socket-server/conn_bench.c \
  common/barrier.h common/cli.h common/fail.h common/log.h common/net.h \
  common/pickle.h common/pt.h common/timing.h

common/barrier.h:

common/cli.h:

common/fail.h:

common/log.h:

common/net.h:

common/pickle.h:

common/pt.h:

common/timing.h:
