"""The class grader (scripts/grade): see cli.py for its commands and settings."""
