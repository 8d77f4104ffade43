# Lesson 2: what the build and the scripts know of it (README, "Adding a lesson").
demos := daemon_thread join_thread join_another is_alive cancel_thread stop_flag
sanitize.thread.daemon_thread := thread leak
