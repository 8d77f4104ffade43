# Lesson 6: what the build and the scripts know of it (README, "Adding a lesson").
demos := deadlock errorcheck two_locks lock_order
# Under helgrind, the deadlock demos end by their watchdog with threads holding locks;
# errorcheck's relock fails on purpose (EDEADLK).
sanitize.helgrind.deadlock := exit holding a lock
sanitize.helgrind.two_locks := exit holding a lock
sanitize.helgrind.errorcheck := failed pthread_mutex_lock
