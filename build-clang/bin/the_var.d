build-clang/bin/the_var: lessons/04-race-condition/the_var.c common/cli.h \
  common/log.h common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
