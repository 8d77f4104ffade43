build-clang/bin/join_another: lessons/02-daemon-vs-join/join_another.c \
  common/cli.h common/log.h common/pt.h common/timing.h

common/cli.h:

common/log.h:

common/pt.h:

common/timing.h:
