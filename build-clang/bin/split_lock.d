build-clang/bin/split_lock: lessons/07-rlock/split_lock.c common/cli.h \
  common/log.h common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
