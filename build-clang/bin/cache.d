build-clang/bin/cache: lessons/05-lock/cache.c common/alloc.h \
  common/cli.h common/log.h common/pt.h common/timing.h

common/alloc.h:

common/cli.h:

common/log.h:

common/pt.h:

common/timing.h:
