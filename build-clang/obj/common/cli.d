build-clang/obj/common/cli.o: common/cli.c common/cli.h common/fail.h \
  common/log.h common/timing.h

common/cli.h:

common/fail.h:

common/log.h:

common/timing.h:
