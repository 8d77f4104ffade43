# Lesson 8: what the build and the scripts know of it (README, "Adding a lesson").
demos := prodcom_lock foreign_unlock cond_wait stolen_wakeup lost_wakeup signal_broadcast timed_wait
tsan := a static count of sleepers, two pipelines at once
# foreign_unlock unlocks a mutex another thread holds, on purpose; cond_wait's relock
# fails on purpose (EDEADLK).
sanitize.thread.foreign_unlock := unlock of an unlocked mutex
sanitize.helgrind.foreign_unlock := failed pthread_mutex_unlock, unlock by a non-owner
sanitize.helgrind.cond_wait := failed pthread_mutex_lock
