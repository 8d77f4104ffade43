build-clang/bin/prefork_server: \
  lessons/16-event-loop-and-processes/prefork_server.c \
  lessons/16-event-loop-and-processes/lib/conn.h \
  lessons/16-event-loop-and-processes/lib/../../11-socket-server/handler.h \
  common/accept_loop.h common/cli.h common/fail.h common/log.h

lessons/16-event-loop-and-processes/lib/conn.h:

lessons/16-event-loop-and-processes/lib/../../11-socket-server/handler.h:

common/accept_loop.h:

common/cli.h:

common/fail.h:

common/log.h:
