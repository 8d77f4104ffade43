# Lesson 15: what the build and the scripts know of it (README, "Adding a lesson").
demos := rwcache rwbench starvation
tsan := a count changed without the mutex (readers-- before the lock)
bench.rwbench :=
