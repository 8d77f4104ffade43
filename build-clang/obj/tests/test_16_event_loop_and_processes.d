build-clang/obj/tests/test_16_event_loop_and_processes.o: \
  tests/test_16_event_loop_and_processes.c tests/harness/harness.h \
  tests/harness/spy.h lessons/16-event-loop-and-processes/linereader.h \
  common/alloc.h

tests/harness/harness.h:

tests/harness/spy.h:

lessons/16-event-loop-and-processes/linereader.h:

common/alloc.h:
