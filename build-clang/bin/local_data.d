build-clang/bin/local_data: lessons/03-many-threads/local_data.c \
  common/alloc.h common/cli.h common/log.h common/pt.h

common/alloc.h:

common/cli.h:

common/log.h:

common/pt.h:
