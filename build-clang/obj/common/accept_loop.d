build-clang/obj/common/accept_loop.o: common/accept_loop.c \
  common/accept_loop.h common/fail.h common/log.h common/net.h \
  common/timing.h

common/accept_loop.h:

common/fail.h:

common/log.h:

common/net.h:

common/timing.h:
