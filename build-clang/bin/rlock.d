build-clang/bin/rlock: lessons/07-rlock/rlock.c common/cli.h common/log.h \
  common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
