"""Question packs in a profile: the pack use cases (:mod:`.service`), interchange files
(:mod:`.interchange`), the Library's question table and own questions (:mod:`.library`),
importing from the Library with a category mapping (:mod:`.library_import`) and checking
an edited question (:mod:`.question_check`).
"""
