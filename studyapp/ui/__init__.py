"""The Qt front end: the only package that imports PySide6.

Screens receive frozen dataclasses from services through typed operations
(:mod:`studyapp.ui.ops`: ``Query``, ``Op``, ``LongOp``), which the controller runs on the one
worker thread of :class:`~studyapp.ui.tasks.TaskRunner`.
"""
