"""StudyApp: offline preparation for the CoSN CETL certification.

Layers (enforced by import-linter, see pyproject.toml):
``ui -> services -> {storage, packs} -> domain``; ``app`` wires them together.
"""

__version__ = "0.1.0"
