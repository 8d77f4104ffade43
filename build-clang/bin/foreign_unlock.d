build-clang/bin/foreign_unlock: \
  lessons/08-producer-consumer-lock/foreign_unlock.c common/cli.h \
  common/log.h common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
