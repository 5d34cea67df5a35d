"""Pure domain model: no I/O, no clock reads, no global random, no Qt, no SQL.

Time arrives as UTC-aware ``datetime`` arguments and randomness as ``random.Random``
instances, so every rule here is deterministic and testable.
"""
