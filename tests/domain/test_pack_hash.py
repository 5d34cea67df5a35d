"""The one pack content hash: its formula is pinned, and it ignores the order it is given in."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain.pack import Pack, PackManifest, pack_content_hash
from tests.packs.factory import question

_ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.-:", min_size=1, max_size=12)
_hex = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
_questions = st.dictionaries(_ids, st.tuples(_hex, st.integers(1, 50)), max_size=12).map(
    lambda d: [(qid, h, rev) for qid, (h, rev) in d.items()]
)
_media = st.dictionaries(_ids, _hex, max_size=5).map(lambda d: list(d.items()))


def _by_hand(questions, media) -> str:
    """The formula as decision 0011's packs were first hashed, written out independently."""
    digest = hashlib.sha256()
    for qid, h, rev in sorted(questions):
        digest.update(qid.encode() + b"\0" + h.encode() + b"\0" + str(rev).encode() + b"\n")
    for name, sha in sorted(media):
        digest.update(name.encode() + b"\0" + sha.encode() + b"\n")
    return digest.hexdigest()


@given(_questions, _media, st.randoms(use_true_random=False))
def test_hash_is_the_pinned_formula_in_any_order(questions, media, rnd):
    """Shuffling the inputs changes nothing, and the hash is the documented formula."""
    expected = _by_hand(questions, media)
    shuffled_q, shuffled_m = list(questions), list(media)
    rnd.shuffle(shuffled_q)
    rnd.shuffle(shuffled_m)
    assert pack_content_hash(shuffled_q, shuffled_m) == expected


@given(_questions.filter(bool), _media)
def test_a_new_revision_changes_the_hash(questions, media):
    """Raising one question's revision gives a different hash."""
    qid, h, rev = questions[0]
    bumped = [(qid, h, rev + 1), *questions[1:]]
    assert pack_content_hash(bumped, media) != pack_content_hash(questions, media)


def test_a_pack_file_hashes_through_the_one_function():
    """Pack.content_hash is pack_content_hash of its questions' hashes and its media bytes."""
    questions = (question("q2"), question("q1", revision=3))
    media = {"b.png": b"\x89PNG two", "a.png": b"\x89PNG one"}
    pack = Pack(PackManifest("p", "1.0.0", "P", "cetl"), questions, media)
    assert pack.content_hash() == _by_hand(
        [(q.id, q.content_hash(), q.revision) for q in questions],
        [(n, hashlib.sha256(b).hexdigest()) for n, b in media.items()],
    )


def test_an_empty_pack_hashes_like_nothing():
    """A pack with no questions and no media has the SHA-256 of no bytes (the new user pack)."""
    assert pack_content_hash((), ()) == hashlib.sha256(b"").hexdigest()
