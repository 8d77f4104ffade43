build-clang/bin/pool_server: lessons/11-socket-server/pool_server.c \
  common/accept_loop.h lessons/11-socket-server/handler.h common/alloc.h \
  common/cli.h common/pt.h common/queue.h

common/accept_loop.h:

lessons/11-socket-server/handler.h:

common/alloc.h:

common/cli.h:

common/pt.h:

common/queue.h:
