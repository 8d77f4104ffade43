build-clang/bin/counter: lessons/14-atomics/counter.c common/cli.h \
  common/pt.h common/timing.h

common/cli.h:

common/pt.h:

common/timing.h:
