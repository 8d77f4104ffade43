build-clang/obj/lessons/16-event-loop-and-processes/lib/conn.o: \
  lessons/16-event-loop-and-processes/lib/conn.c \
  lessons/16-event-loop-and-processes/lib/conn.h \
  lessons/16-event-loop-and-processes/lib/../../11-socket-server/handler.h \
  common/accept_loop.h common/log.h common/net.h

lessons/16-event-loop-and-processes/lib/conn.h:

lessons/16-event-loop-and-processes/lib/../../11-socket-server/handler.h:

common/accept_loop.h:

common/log.h:

common/net.h:
