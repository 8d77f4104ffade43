build-clang/bin/event_server: \
  lessons/16-event-loop-and-processes/event_server.c \
  lessons/16-event-loop-and-processes/lib/conn.h \
  lessons/16-event-loop-and-processes/lib/../../11-socket-server/handler.h \
  common/accept_loop.h common/alloc.h common/cli.h common/fail.h \
  common/log.h common/timing.h

lessons/16-event-loop-and-processes/lib/conn.h:

lessons/16-event-loop-and-processes/lib/../../11-socket-server/handler.h:

common/accept_loop.h:

common/alloc.h:

common/cli.h:

common/fail.h:

common/log.h:

common/timing.h:
