build-clang/obj/common/thread_function.o: common/thread_function.c \
  common/thread_function.h common/log.h common/timing.h

common/thread_function.h:

common/log.h:

common/timing.h:
