# Lesson 13: what the build and the scripts know of it (README, "Adding a lesson").
demos := queue_bench
tsan := a sleeper count read after the unlock
# queue_bench loads GLib's GAsyncQueue with dlopen (-ldl: empty on new glibc).
libs.queue_bench := -ldl
bench.queue_bench := 5
# helgrind's "data race" is helgrind not knowing C11 atomics, which fastqueue.c's
# counters are (ThreadSanitizer knows them and reports nothing there).
sanitize.helgrind.queue_bench := data race
