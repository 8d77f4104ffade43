build-clang/obj/tests/harness/spy.o: tests/harness/spy.c \
  tests/harness/spy_hook.h common/pt.h common/timing.h \
  tests/harness/spy.h tests/harness/harness.h common/portable.h

tests/harness/spy_hook.h:

common/pt.h:

common/timing.h:

tests/harness/spy.h:

tests/harness/harness.h:

common/portable.h:
