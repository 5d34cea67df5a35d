"""Use cases. Each returns plain frozen dataclasses (never ORM objects) and, where it
changes data, a :class:`~studyapp.services.changes.Change` set so screens know what to refresh.
"""
