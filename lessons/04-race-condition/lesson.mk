# Lesson 4: what the build and the scripts know of it (README, "Adding a lesson").
demos := racecond the_var the_var_lock the_var_atomic
sanitize.thread.racecond := data race
sanitize.thread.the_var := data race
sanitize.helgrind.racecond := data race
sanitize.helgrind.the_var := data race
