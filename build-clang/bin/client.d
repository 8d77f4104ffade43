build-clang/bin/client: lessons/11-socket-server/client.c common/cli.h \
  common/log.h common/net.h common/pickle.h

common/cli.h:

common/log.h:

common/net.h:

common/pickle.h:
