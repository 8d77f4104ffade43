# Lesson 11: what the build and the scripts know of it (README, "Adding a lesson").
demos := server client threaded_client pool_server conn_bench
tsan := a buffer two handler threads share (a static one)
bench.conn_bench :=
# Its tests also run lesson 16's two servers through the checks these pass.
needs := event_server prefork_server
