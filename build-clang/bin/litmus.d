build-clang/bin/litmus: lessons/14-atomics/litmus.c common/cli.h \
  common/pt.h common/timing.h

common/cli.h:

common/pt.h:

common/timing.h:
