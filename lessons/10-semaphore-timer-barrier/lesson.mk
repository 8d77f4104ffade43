# Lesson 10: what the build and the scripts know of it (README, "Adding a lesson").
demos := semaphore timer barrier
tsan := a round's generation bumped after the unlock
