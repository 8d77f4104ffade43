# Lesson 6: what the build and the scripts know of it (README, "Adding a lesson").
demos := deadlock errorcheck two_locks lock_order cancel_cleanup
# Under helgrind, the deadlock demos end by their watchdog with threads holding locks;
# cancel_cleanup's cancelled thread exits holding one, on purpose; errorcheck's
# relock fails on purpose (EDEADLK).
sanitize.helgrind.deadlock := exit holding a lock
sanitize.helgrind.two_locks := exit holding a lock
sanitize.helgrind.errorcheck := failed pthread_mutex_lock
sanitize.helgrind.cancel_cleanup := exit holding a lock
# AddressSanitizer leaves poisoned the stack frames a cancellation unwinds, and
# clang 14's runtime then reports a false stack-use-after-scope in the thread's
# own exit, which uses that stack again (gcc 12's passed here).
sanitize.address.cancel_cleanup := skip: a false stack-use-after-scope after a cancellation (clang 14)
