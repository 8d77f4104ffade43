build-clang/bin/false_sharing: \
  lessons/12-parallel-speedup/false_sharing.c common/cli.h common/cpus.h \
  common/pt.h common/timing.h

common/cli.h:

common/cpus.h:

common/pt.h:

common/timing.h:
