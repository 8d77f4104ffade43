# Lesson 7: what the build and the scripts know of it (README, "Adding a lesson").
demos := rlock relock split_lock
# Under helgrind, relock ends by its watchdog with a thread holding the lock.
sanitize.helgrind.relock := exit holding a lock
