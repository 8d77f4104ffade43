build-clang/bin/download_pages: lessons/03-many-threads/download_pages.c \
  common/alloc.h common/cli.h common/log.h common/pt.h common/queue.h \
  common/timing.h

common/alloc.h:

common/cli.h:

common/log.h:

common/pt.h:

common/queue.h:

common/timing.h:
