build-clang/bin/cas: lessons/14-atomics/cas.c common/cli.h common/pt.h \
  common/timing.h

common/cli.h:

common/pt.h:

common/timing.h:
