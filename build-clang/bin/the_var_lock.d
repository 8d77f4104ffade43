build-clang/bin/the_var_lock: lessons/04-race-condition/the_var_lock.c \
  common/cli.h common/log.h common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
