build-clang/obj/tests/harness/harness.o: tests/harness/harness.c \
  tests/harness/harness.h tests/harness/spy.h common/alloc.h \
  common/event.h common/pt.h common/semaphore.h common/timing.h

tests/harness/harness.h:

tests/harness/spy.h:

common/alloc.h:

common/event.h:

common/pt.h:

common/semaphore.h:

common/timing.h:
