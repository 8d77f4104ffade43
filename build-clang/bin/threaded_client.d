build-clang/bin/threaded_client: \
  lessons/11-socket-server/threaded_client.c common/cli.h common/log.h \
  common/net.h common/pickle.h common/pt.h

common/cli.h:

common/log.h:

common/net.h:

common/pickle.h:

common/pt.h:
