build-clang/bin/primes: lessons/12-parallel-speedup/primes.c common/cli.h \
  common/cpus.h common/pt.h common/timing.h

common/cli.h:

common/cpus.h:

common/pt.h:

common/timing.h:
