build-clang/bin/stop_flag: lessons/02-daemon-vs-join/stop_flag.c \
  common/alloc.h common/cli.h common/log.h common/pt.h common/timing.h

common/alloc.h:

common/cli.h:

common/log.h:

common/pt.h:

common/timing.h:
