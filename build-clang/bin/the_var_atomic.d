build-clang/bin/the_var_atomic: \
  lessons/04-race-condition/the_var_atomic.c common/cli.h common/log.h \
  common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
