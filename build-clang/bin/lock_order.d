build-clang/bin/lock_order: lessons/06-deadlock/lock_order.c common/cli.h \
  common/log.h common/pt.h common/timing.h

common/cli.h:

common/log.h:

common/pt.h:

common/timing.h:
