"""Seeded synthetic question text with realistic sizes.

A real CETL question (``question_banks/cetl-core``) has a stem of 35-70 words, four options
of 15-25 words, a rationale of 25-40 words for each, and an explanation of 40-60 words:
about 2.4 KB of JSON. The generator draws words from a district-technology vocabulary so
that sizes, compression ratios and word counts (which the rating rule reads) resemble the
real bank. Everything comes from the ``random.Random`` passed in: the same seed gives the
same text.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from studyapp.domain.question import Option, Question, Reference

# The moment every benchmark runs "as of" (the same as the tests' fixed clock).
BENCH_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

SKILLS: tuple[str, ...] = (
    "leadership-vision",
    "strategic-planning",
    "ethics-policies",
    "instructional-focus",
    "team-building",
    "stakeholder-focus",
    "it-management",
    "communication-systems",
    "business-management",
    "data-management",
)
# CETL's blueprint weights, so the bank is shaped like the exam.
SKILL_WEIGHTS: tuple[float, ...] = (0.15, 0.15, 0.10, 0.12, 0.09, 0.09, 0.09, 0.07, 0.07, 0.07)

STEM_WORDS = 60
OPTION_WORDS = 18
RATIONALE_WORDS = 30
EXPLANATION_WORDS = 50

_VOCABULARY = """
district superintendent board cabinet principal teacher student family community vendor
network wireless bandwidth firewall identity account device laptop tablet server cloud
backup recovery incident breach phishing password privacy consent record transcript
budget funding grant procurement contract licence renewal audit compliance policy law
regulation accessibility equity access broadband rural hotspot curriculum instruction
assessment platform learning management system gradebook attendance enrollment data
dashboard report metric evidence outcome goal plan strategy vision mission priority
stakeholder survey feedback committee meeting presentation communication newsletter
training professional development coaching staff team role responsibility leadership
project timeline milestone risk mitigation change management adoption pilot rollout
replacement lifecycle inventory asset warranty support helpdesk ticket service level
agreement interoperability standard integration vendor roster single sign-on encryption
retention schedule archive request parent guardian teacher union negotiation hiring
evaluation performance review mentor succession sustainability total cost ownership
return investment efficiency savings refresh cycle classroom school campus building
facility power cooling outage continuity exercise tabletop cyber insurance liability
the a an of to for with on in by from before after during while because although which
should would could must may first next then finally most best least primary initial
""".split()  # noqa: SIM905  # a word list reads better as text

_STARTS = (
    "A district CTO",
    "The superintendent",
    "A school board member",
    "The technology director",
    "A new principal",
    "The cabinet",
)


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(_VOCABULARY, k=n))


def _sentence(rng: random.Random, n: int) -> str:
    text = _words(rng, n)
    return text[:1].upper() + text[1:] + "."


def synthetic_question(rng: random.Random, index: int, skill: str) -> Question:
    """One valid single-answer question (``q000042``) of ``skill`` with realistic sizes."""
    correct = rng.randrange(4)
    # Vary sizes a little around the means, as authored questions do.
    stem_n = STEM_WORDS + rng.randint(-8, 8)
    stem = (
        f"{rng.choice(_STARTS)} faces case {index}: "
        + _sentence(rng, stem_n - 12)
        + " What should the CTO do FIRST?"
    )
    options = tuple(
        Option(
            id="abcd"[i],
            text=_sentence(rng, OPTION_WORDS + rng.randint(-4, 4)),
            correct=i == correct,
            rationale=_sentence(rng, RATIONALE_WORDS + rng.randint(-6, 6)),
        )
        for i in range(4)
    )
    return Question(
        id=f"q{index:06d}",
        skill=skill,
        type="single",
        stem=stem,
        options=options,
        explanation=_sentence(rng, EXPLANATION_WORDS + rng.randint(-8, 8)),
        difficulty=rng.choice((1, 2, 2, 3)),
        tags=(skill.split("-")[0], f"set-{index % 50}"),
        references=(Reference("CoSN Framework of Essential Skills of the K-12 CTO", skill),),
        revision=1,
    )


def synthetic_questions(count: int, seed: int) -> list[Question]:
    """``count`` questions spread over the ten skill areas by CETL's weights."""
    rng = random.Random(seed)
    skills = rng.choices(SKILLS, weights=SKILL_WEIGHTS, k=count)
    return [synthetic_question(rng, i, skill) for i, skill in enumerate(skills)]


def question_words(q: Question) -> int:
    """Words of the stem and options, as :meth:`StudyService.answer` counts them."""
    return len(" ".join([q.stem, *(o.text for o in q.options)]).split())
