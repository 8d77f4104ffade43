build-clang/bin/fixrace: lessons/05-lock/fixrace.c common/cli.h \
  common/executor.h common/log.h common/pt.h common/timing.h

common/cli.h:

common/executor.h:

common/log.h:

common/pt.h:

common/timing.h:
