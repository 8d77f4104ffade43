build-clang/bin/thread_names: lessons/03-many-threads/thread_names.c \
  common/cli.h common/log.h common/pt.h

common/cli.h:

common/log.h:

common/pt.h:
