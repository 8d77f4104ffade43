build-clang/bin/spinlocks: lessons/14-atomics/spinlocks.c common/cli.h \
  common/pt.h common/timing.h

common/cli.h:

common/pt.h:

common/timing.h:
