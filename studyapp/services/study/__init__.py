"""Studying: planning practice, recording answers, and what the answers say.

The session use cases (:mod:`.service`), the in-process cache of planning rows
(:mod:`.cache`) with its running aggregates (:mod:`.recall`, :mod:`.age_counts`), the
session size the daily goal asks for (:mod:`.session_size`), Home's persisted figures
(:mod:`.home_summary`), planning inside the target framework (:mod:`.target_scope`) and
personal FSRS fitting (:mod:`.optimizer`).
"""
