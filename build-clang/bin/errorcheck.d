build-clang/bin/errorcheck: lessons/06-deadlock/errorcheck.c common/cli.h \
  common/log.h common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
