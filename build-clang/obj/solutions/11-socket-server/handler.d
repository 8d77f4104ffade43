build-clang/obj/solutions/11-socket-server/handler.o: \
  solutions/11-socket-server/handler.c \
  lessons/11-socket-server/handler.h common/accept_loop.h common/log.h

lessons/11-socket-server/handler.h:

common/accept_loop.h:

common/log.h:
