"""Mock exams: the use cases (:mod:`.service`), building an exam from a blueprint or a code
(:mod:`.building`), the frozen views handed to screens and the CLI (:mod:`.views`) and the
printable HTML result (:mod:`.report`). See ``docs/exams.md``.
"""
