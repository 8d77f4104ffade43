# Lesson 5: what the build and the scripts know of it (README, "Adding a lesson").
demos := fixrace cache
