# Lesson 1: what the build and the scripts know of it (README, "Adding a lesson").
demos := single_thread thread_kinds thread_ids
sanitize.thread.single_thread := skip: main ends with pthread_exit(), and ThreadSanitizer's own background thread then keeps the process alive for ever (seen with gcc 12's libtsan: only SIGKILL ends it)
sanitize.thread.thread_kinds := skip: main ends with pthread_exit() (see single_thread)
