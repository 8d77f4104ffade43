# Lesson 3: what the build and the scripts know of it (README, "Adding a lesson").
demos := multiple_threads download_pages executor pool_cost thread_names return_values local_data
tsan := the shared "next item" index
bench.pool_cost :=
