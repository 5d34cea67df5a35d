"""Counts that describe a pack: per skill area, type, difficulty; option counts; key positions."""

from __future__ import annotations

from collections import Counter
from statistics import mean
from typing import Any

from studyapp.domain.pack import Pack


def pack_stats(pack: Pack) -> dict[str, Any]:
    """The ``pack stats --json`` document (keys only grow)."""
    qs = pack.questions
    positions: Counter[str] = Counter()
    for q in qs:
        for index, option in enumerate(q.options):
            if option.correct:
                positions["ABCDEFGH"[index]] += 1
    option_counts = Counter(str(len(q.options)) for q in qs)

    def avg(values: list[int]) -> float:
        return round(mean(values), 1) if values else 0.0

    return {
        "pack": pack.manifest.id,
        "version": pack.manifest.version,
        "framework": pack.manifest.framework,
        "questions": len(qs),
        "by_skill": dict(sorted(Counter(q.skill or "unassigned" for q in qs).items())),
        "by_type": dict(sorted(Counter(q.type for q in qs).items())),
        "by_difficulty": {str(k): v for k, v in sorted(Counter(q.difficulty for q in qs).items())},
        "option_counts": dict(sorted(option_counts.items(), key=lambda kv: int(kv[0]))),
        "correct_positions": dict(sorted(positions.items())),
        "average_lengths": {
            "stem": avg([len(q.stem) for q in qs]),
            "option": avg([len(o.text) for q in qs for o in q.options]),
            "correct_option": avg([len(o.text) for q in qs for o in q.options if o.correct]),
            "rationale": avg([len(o.rationale) for q in qs for o in q.options]),
            "explanation": avg([len(q.explanation) for q in qs]),
        },
        "media": len(pack.media),
    }
