"""Shipped question packs (data only); installed as ``studyapp.question_banks``."""
