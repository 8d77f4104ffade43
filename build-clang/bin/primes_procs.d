build-clang/bin/primes_procs: \
  lessons/16-event-loop-and-processes/primes_procs.c common/cli.h \
  common/cpus.h common/fail.h common/timing.h

common/cli.h:

common/cpus.h:

common/fail.h:

common/timing.h:
