"""The Library screen and its pieces, one module per concept.

- :mod:`.screen`: :class:`LibraryScreen`, the two tabs and the editor's entry points.
- :mod:`.questions` (the Questions tab) with :mod:`.model` (its lazily paged table) and
  :mod:`.preview` (the selected question and its history).
- :mod:`.editor` (the question editor) with :mod:`.options` (its fields) and
  :mod:`.markdown` (a question as one Markdown document, shared with the preview).
- :mod:`.packs` (the Packs tab) with :mod:`.mapping` (categories to skill areas before an
  import).
"""
