# Lesson 16: what the build and the scripts know of it (README, "Adding a lesson").
demos := event_server loop_bench prefork_server fork_vs_thread primes_procs
bench.loop_bench :=
bench.primes_procs := 2
# loop_bench runs lesson 11's threaded server beside its own; run.sh, lesson 11's client.
needs := server pool_server threaded_client client
