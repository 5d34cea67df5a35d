"""Questions' content hashes, computed fast and once per import.

:meth:`Question.content_hash <studyapp.domain.question.Question.content_hash>` defines the
hash: SHA-256 of ``json.dumps(body, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))``. Going through ``json.dumps`` costs about 60 µs a question here,
six seconds of a 100,000-question import. :func:`question_hashes` writes the same canonical
text directly (the keys in their sorted order, strings through ``json``'s own C string
encoder), which takes a fraction of that. Any value of an unusual type (a float
difficulty, a non-text field built by hand) falls back to the domain's method, so the
result is always exactly ``[q.content_hash() for q in questions]``; the tests compare the
two on generated questions.
"""

from __future__ import annotations

import hashlib
import json.encoder
from collections.abc import Callable, Iterable

from studyapp.domain.question import Question

# ``json.dumps(..., ensure_ascii=False)`` encodes every string with this function (the C
# one when available), so both paths write identical bytes.
_enc: Callable[[str], str] = json.encoder.encode_basestring
_sha256 = hashlib.sha256


class _UnusualValueError(Exception):
    """A value the fast writer does not handle; the domain's method is used instead."""


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return _enc(value)  # type: ignore[arg-type]
    if kind is int:
        return int.__repr__(value)
    raise _UnusualValueError


def _canonical(q: Question) -> str:
    """The text :meth:`Question.content_hash` hashes, keys in sorted order."""
    options = ",".join(
        [
            f'{{"correct":{_scalar(o.correct)},"id":{_enc(o.id)},'
            f'"rationale":{_enc(o.rationale)},"text":{_enc(o.text)}}}'
            for o in q.options
        ]
    )
    refs = []
    for r in q.references:
        # Reference.to_dict: title always, section and url only when not empty.
        ref = []
        if r.section:
            ref.append(f'"section":{_enc(r.section)}')
        ref.append(f'"title":{_enc(r.title)}')
        if r.url:
            ref.append(f'"url":{_enc(r.url)}')
        refs.append("{" + ",".join(ref) + "}")
    tags = ",".join([_enc(t) for t in sorted(set(q.tags))])
    return (
        f'{{"difficulty":{_scalar(q.difficulty)},"explanation":{_enc(q.explanation)},'
        f'"id":{_enc(q.id)},"options":[{options}],"references":[{",".join(refs)}],'
        f'"skill":{_scalar(q.skill)},"stem":{_enc(q.stem)},"tags":[{tags}],'
        f'"type":{_enc(q.type)}}}'
    )


def question_hash(q: Question) -> str:
    """Exactly ``q.content_hash()``, without going through ``json.dumps``."""
    try:
        text = _canonical(q)
    except (_UnusualValueError, TypeError, AttributeError):
        return q.content_hash()
    return _sha256(text.encode("utf-8")).hexdigest()


def question_hashes(questions: Iterable[Question]) -> list[str]:
    """The content hash of every question, in order."""
    return [question_hash(q) for q in questions]
