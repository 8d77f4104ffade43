build-clang/bin/publish: lessons/14-atomics/publish.c common/cli.h \
  common/pt.h common/timing.h

common/cli.h:

common/pt.h:

common/timing.h:
