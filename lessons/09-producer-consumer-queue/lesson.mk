# Lesson 9: what the build and the scripts know of it (README, "Adding a lesson").
demos := prodcom_pipeline prodcom_queue
