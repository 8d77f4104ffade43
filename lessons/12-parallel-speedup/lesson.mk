# Lesson 12: what the build and the scripts know of it (README, "Adding a lesson").
demos := primes io_wait false_sharing
tsan := the shared total
bench.primes := 2
bench.false_sharing := 2
