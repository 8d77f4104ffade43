# Lesson 3: what the build and the scripts know of it (README, "Adding a lesson").
demos := multiple_threads download_pages executor pool_cost thread_names return_values
tsan := the shared "next item" index
bench.pool_cost :=
