# Lesson 14: what the build and the scripts know of it (README, "Adding a lesson").
demos := counter litmus publish publish_relaxed cas aba spinlocks
tsan := the data a ticket lock guards, ordered only by its release and acquire
bench.counter :=
bench.spinlocks :=
# publish_relaxed's race is real; litmus's, publish's and spinlocks' plain memory is
# ordered by C11 atomics only, which helgrind does not know.
sanitize.thread.publish_relaxed := data race
sanitize.helgrind.litmus := data race
sanitize.helgrind.publish := data race
sanitize.helgrind.publish_relaxed := data race
sanitize.helgrind.spinlocks := data race
