build-clang/bin/is_alive: lessons/02-daemon-vs-join/is_alive.c \
  common/cli.h common/log.h common/pt.h common/timing.h

common/cli.h:

common/log.h:

common/pt.h:

common/timing.h:
