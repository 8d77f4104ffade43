build-clang/obj/common/watchdog.o: common/watchdog.c common/watchdog.h \
  common/log.h common/pt.h common/timing.h

common/watchdog.h:

common/log.h:

common/pt.h:

common/timing.h:
