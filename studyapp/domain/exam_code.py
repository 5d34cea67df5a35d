"""Exam codes: a short, typable name for one mock exam that any member can rebuild.

A code reads ``CETL-100-7KQ3MXA``: the blueprint (the framework id in capitals), the
number of questions, then a payload in Crockford's base 32 (digits and capitals without
I, L, O and U, so nothing can be misread) ending in a check character.

The payload is one integer, most significant part first:

    value = ((skill_mask × 4096 + seed) × 3 + selection) × 16384 + fingerprint

- ``skill_mask``: 0 for every skill area, else bit *i* set for the *i*-th skill id in
  sorted order (ids, not titles or file order, so re-ordering a framework file keeps codes);
- ``seed``: 0–4095, the variety between exams of the same shape;
- ``selection``: 0 mixed, 1 unseen-first, 2 weak-focus;
- ``fingerprint``: 14 bits of a digest of the pack ids and versions the questions were
  drawn from (:func:`studyapp.domain.exam.pool_fingerprint`), so a member with other
  pack versions is told so instead of silently getting another exam.

The low 30 bits of the value are then scrambled by a fixed invertible mix (so that
neighbouring seeds do not give look-alike codes). An exam over every skill area has six
payload characters plus the check character; a subset of skill areas adds up to two.

The check character is Luhn mod 32 over the payload, which catches every single mistyped
character and most swaps of neighbours, shifted by a digest of the prefix, which catches
a mistyped length or blueprint 31 times in 32. Decoding is lenient where it is safe: lower
case, ``O`` for ``0``, ``I``/``L`` for ``1``, and spaces or extra hyphens in the payload.

A *share line* is the code followed by the pack versions it needs, e.g.
``CETL-100-7KQ3MXA cetl-core@1.0.0``; with it, a member who lacks a version is told
exactly which one (see ``docs/exams.md``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from studyapp.domain.errors import StudyAppError

Selection = Literal["mixed", "unseen-first", "weak-focus"]
SELECTIONS: tuple[Selection, ...] = ("mixed", "unseen-first", "weak-focus")
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
SEEDS = 4096
FINGERPRINT_BITS = 14
FINGERPRINTS = 1 << FINGERPRINT_BITS
MIN_PAYLOAD = 6
MAX_LENGTH = 999
_MIX_BITS = 30
_MIX_MOD = 1 << _MIX_BITS
_MIX_MUL = 0x2F1C_3A5B % _MIX_MOD | 1  # odd, so multiplication mod 2**30 is invertible
_MIX_INV = pow(_MIX_MUL, -1, _MIX_MOD)
_CODE_RE = re.compile(r"^(?P<bp>[A-Z0-9][A-Z0-9-]*?)-(?P<len>\d{1,3})-(?P<payload>[0-9A-Z -]+)$")
_REQUIREMENT_RE = re.compile(r"^(?P<id>[a-z0-9][a-z0-9._-]{0,127})@(?P<version>\S{1,64})$")


class ExamError(StudyAppError):
    """A mock exam cannot be built, sat or scored as asked."""


class ExamCodeError(ExamError):
    """An exam code is malformed, mistyped, or needs packs this profile lacks."""


@dataclass(frozen=True, slots=True)
class ExamCode:
    """Everything an exam code fixes (besides the pack content it was built from)."""

    blueprint: str
    length: int
    seed: int
    selection: Selection
    skill_mask: int
    fingerprint: int

    def __post_init__(self) -> None:
        if not 1 <= self.length <= MAX_LENGTH:
            raise ExamCodeError(f"An exam has 1 to {MAX_LENGTH} questions, not {self.length}.")
        if not 0 <= self.seed < SEEDS:
            raise ExamCodeError(f"An exam seed is a whole number from 0 to {SEEDS - 1}.")
        if self.selection not in SELECTIONS:
            raise ExamCodeError(
                f"Selection {self.selection!r} is not one of: {', '.join(SELECTIONS)}."
            )
        if self.skill_mask < 0 or not 0 <= self.fingerprint < FINGERPRINTS:
            raise ExamCodeError("An exam code's skill set or pack fingerprint is out of range.")

    @property
    def prefix(self) -> str:
        return f"{self.blueprint.upper()}-{self.length}"

    def text(self) -> str:
        """The canonical code, e.g. ``CETL-100-7KQ3MXA``."""
        value = (
            (self.skill_mask * SEEDS + self.seed) * len(SELECTIONS)
            + SELECTIONS.index(self.selection)
        ) * FINGERPRINTS + self.fingerprint
        value = _mix(value)
        digits: list[int] = []
        while value:
            value, digit = divmod(value, 32)
            digits.append(digit)
        digits.extend([0] * (MIN_PAYLOAD - len(digits)))
        digits.reverse()
        check = _check_value(digits, self.prefix)
        return f"{self.prefix}-{''.join(ALPHABET[d] for d in digits)}{ALPHABET[check]}"

    def __str__(self) -> str:
        return self.text()


def _mix(value: int) -> int:
    """Two rounds of multiply (odd, mod 2**30) and xor-shift by 15 (an involution)."""
    high, low = divmod(value, _MIX_MOD)
    for _ in range(2):
        low = (low * _MIX_MUL) % _MIX_MOD
        low ^= low >> (_MIX_BITS // 2)
    return high * _MIX_MOD + low


def _unmix(value: int) -> int:
    high, low = divmod(value, _MIX_MOD)
    for _ in range(2):
        low ^= low >> (_MIX_BITS // 2)
        low = (low * _MIX_INV) % _MIX_MOD
    return high * _MIX_MOD + low


def _luhn32(values: list[int]) -> int:
    """Luhn mod N check value (N = 32) for ``values``, most significant first."""
    total = 0
    factor = 2
    for value in reversed(values):
        addend = factor * value
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return (32 - total % 32) % 32


def _check_value(values: list[int], prefix: str) -> int:
    salt = hashlib.sha256(prefix.encode("ascii")).digest()[0] % 32
    return (_luhn32(values) + salt) % 32


def decode_code(text: str) -> ExamCode:
    """Parse a code typed by a person; :class:`ExamCodeError` says what is wrong with it."""
    shown = text.strip()
    raw = shown.upper()
    match = _CODE_RE.match(raw)
    if match is None:
        raise ExamCodeError(
            f"{shown[:60]!r} is not an exam code: a code looks like CETL-100-7KQ3MXA "
            "(blueprint, number of questions, then letters and digits)."
        )
    blueprint = match["bp"].lower()
    length = int(match["len"])
    payload = match["payload"].replace(" ", "").replace("-", "")
    bad = sorted({c for c in payload if c not in _VALUE})
    if bad:
        raise ExamCodeError(
            f"Exam code {shown!r} contains {', '.join(bad)}, which no exam code uses "
            "(codes use digits and the letters A–Z except I, L, O and U); check it for typos."
        )
    if len(payload) < MIN_PAYLOAD + 1:
        raise ExamCodeError(
            f"Exam code {shown!r} is too short: after the number of questions come at least "
            f"{MIN_PAYLOAD + 1} letters and digits. Check that none is missing."
        )
    if not 1 <= length <= MAX_LENGTH:
        raise ExamCodeError(f"Exam code {shown!r} asks for {length} questions; that cannot be.")
    values = [_VALUE[c] for c in payload]
    data, check = values[:-1], values[-1]
    prefix = f"{blueprint.upper()}-{length}"
    if _check_value(data, prefix) != check:
        raise ExamCodeError(
            f"Exam code {shown!r} does not check out: a character is mistyped or missing. "
            "Copy it again from whoever shared it."
        )
    value = 0
    for digit in data:
        value = value * 32 + digit
    value, fingerprint = divmod(_unmix(value), FINGERPRINTS)
    value, selection = divmod(value, len(SELECTIONS))
    mask, seed = divmod(value, SEEDS)
    return ExamCode(blueprint, length, seed, SELECTIONS[selection], mask, fingerprint)


def parse_share_line(text: str) -> tuple[ExamCode, dict[str, str]]:
    """A code optionally followed by ``pack@version`` words: the code and the versions.

    Accepts what :func:`share_line` writes; the code part itself may contain spaces only
    if no requirements follow it.
    """
    words = text.split()
    requirements: dict[str, str] = {}
    while len(words) > 1 and "@" in words[-1]:
        word = words.pop()
        match = _REQUIREMENT_RE.match(word)
        if match is None:
            raise ExamCodeError(
                f"{word!r} after the exam code is not a pack requirement like cetl-core@1.0.0."
            )
        requirements[match["id"]] = match["version"]
    return decode_code(" ".join(words)), dict(sorted(requirements.items()))


def share_line(code: ExamCode | str, pack_versions: Mapping[str, str]) -> str:
    """The code and the pack versions it needs, to paste for a study group."""
    needs = " ".join(f"{pid}@{ver}" for pid, ver in sorted(pack_versions.items()))
    return f"{code} {needs}".strip()
