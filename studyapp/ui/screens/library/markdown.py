"""A whole question as one Markdown document, for the library preview and the editor.

The document is shown only through :class:`~studyapp.ui.widgets.rendered.RenderedText`
(sanitised). Text that is data rather than Markdown (reference titles and addresses) is
escaped, and addresses are shown as code: references are text, never links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from studyapp.domain.question import Question

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


@dataclass(frozen=True, slots=True)
class OptionView:
    """An option as drawn: text, whether it is a key, why."""

    text: str
    correct: bool
    rationale: str


def escape(text: str) -> str:
    """``text`` with Markdown's special characters escaped (shown literally)."""
    return _SPECIAL.sub(r"\\\1", text)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.strip().splitlines())


def question_markdown(
    *,
    stem: str,
    multiple: bool,
    options: Sequence[OptionView],
    explanation: str,
    references: Sequence[tuple[str, str, str]],
) -> str:
    """The question with its key marked, each option's rationale, explanation, references."""
    parts = [stem.strip() or "*(no question text yet)*"]
    parts.append("*Choose all that apply.*" if multiple else "*Choose one answer.*")
    for index, option in enumerate(options):
        letter = chr(ord("A") + index)
        mark = "✔ correct" if option.correct else "✘ wrong"
        parts.append(f"#### {letter} — {mark}")
        parts.append(option.text.strip() or "*(empty option)*")
        if option.rationale.strip():
            parts.append(_quote(f"**Why:** {option.rationale.strip()}"))
    if explanation.strip():
        parts.append("#### Explanation")
        parts.append(explanation.strip())
    if references:
        parts.append("#### References")
        lines = []
        for title, section, url in references:
            text = escape(title)
            if section:
                text += f" — {escape(section)}"
            if url:
                text += f" — `{url.replace('`', '')}`"
            lines.append(f"- {text}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def markdown_of(question: Question) -> str:
    """:func:`question_markdown` of a stored question."""
    return question_markdown(
        stem=question.stem,
        multiple=question.type == "multiple",
        options=[OptionView(o.text, o.correct, o.rationale) for o in question.options],
        explanation=question.explanation,
        references=[(r.title, r.section, r.url) for r in question.references],
    )
