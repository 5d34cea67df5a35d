"""The Qt front end: the only package that imports PySide6.

Screens receive frozen dataclasses from services through :class:`~studyapp.ui.tasks.TaskRunner`,
which runs every database and file operation on one worker thread.
"""
