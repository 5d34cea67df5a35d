"""Statistics and the facilitator's progress report: the use cases (:mod:`.service`), the
plain data they return (:mod:`.model`) and the self-contained HTML document (:mod:`.html`).
"""
