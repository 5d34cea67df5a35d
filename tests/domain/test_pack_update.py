"""The pack update policy: install, update, unchanged, downgrade or refuse, as a pure rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain.pack import compare_versions, content_version, version_order
from studyapp.domain.pack_update import (
    IncomingPack,
    InstalledCopy,
    PackAction,
    decide_pack_update,
    predicted_action,
)

A, B = "a" * 64, "b" * 64
_semver = st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)).map(
    lambda t: ".".join(map(str, t))
)


def incoming(version: str = "1.0.0", content: str = A, origin: str = "import", title: str = "T"):
    return IncomingPack("p", version, content, title, origin)


def installed(version: str = "1.0.0", content: str = A, origin: str = "import", title: str = "T"):
    return InstalledCopy(version, content, title, origin)


def test_nothing_installed_installs():
    """A pack not installed yet is installed, whatever its version."""
    decision = decide_pack_update(incoming("0.1.0"), None, allow_downgrade=False)
    assert decision.action is PackAction.INSTALL and str(decision.action) == "installed"


def test_the_users_own_pack_is_never_replaced_by_a_file():
    """A file with the id of My questions is refused with a message naming it."""
    decision = decide_pack_update(
        incoming("9.0.0", B), installed(origin="user", title="My questions"), allow_downgrade=True
    )
    assert decision.action is PackAction.REFUSE
    assert "where your own questions are kept (My questions)" in decision.reason
    own = decide_pack_update(
        incoming("1.0.1", B, origin="user"), installed(origin="user"), allow_downgrade=False
    )
    assert own.action is PackAction.UPDATE


def test_same_version_same_content_is_unchanged_and_records_a_new_title():
    """The same file again changes nothing; a new title is recorded, the same title is not."""
    same = decide_pack_update(incoming(), installed(), allow_downgrade=False)
    assert (same.action, same.record_file) == (PackAction.UNCHANGED, False)
    retitled = decide_pack_update(incoming(title="New"), installed(), allow_downgrade=False)
    assert (retitled.action, retitled.record_file) == (PackAction.UNCHANGED, True)


def test_same_version_different_content_is_refused():
    """A changed pack under an unchanged version number is refused: it needs a new version."""
    decision = decide_pack_update(incoming(content=B), installed(), allow_downgrade=True)
    assert decision.action is PackAction.REFUSE
    assert "needs a new version number" in decision.reason


def test_content_versions_replace_exactly_when_content_differs():
    """With a content-derived version, differing content updates and equal content does not."""
    old = installed(content_version(A), A)
    assert (
        decide_pack_update(incoming(content_version(B), B), old, allow_downgrade=False).action
        is PackAction.UPDATE
    )
    same = decide_pack_update(incoming("3.0.0", A), old, allow_downgrade=False)
    assert (same.action, same.record_file) == (PackAction.UNCHANGED, True)


@given(_semver, _semver, st.booleans(), st.booleans())
def test_semantic_versions_decide_by_order(new, have, same_content, allow_downgrade):
    """Newer updates, older downgrades only when allowed, equal depends on the content."""
    decision = decide_pack_update(
        incoming(new, A), installed(have, A if same_content else B), allow_downgrade=allow_downgrade
    )
    order = compare_versions(new, have)
    if order > 0:
        expected = PackAction.UPDATE
    elif order < 0:
        expected = PackAction.DOWNGRADE if allow_downgrade else PackAction.REFUSE
    else:
        expected = PackAction.UNCHANGED if same_content else PackAction.REFUSE
    assert decision.action is expected
    assert (decision.reason != "") == (expected is PackAction.REFUSE)
    assert decision.replaces == (expected in (PackAction.UPDATE, PackAction.DOWNGRADE))
    if order < 0 and not allow_downgrade:
        assert f"this file is the older version {new}" in decision.reason
        assert "--allow-downgrade" in decision.reason


_any_version = st.one_of(_semver, st.sampled_from([content_version(A), content_version(B)]))


@given(_any_version, _any_version, st.booleans(), st.sampled_from(["import", "user"]))
def test_prediction_before_hashing_follows_the_versions(new, have, allow_downgrade, origin):
    """Before hashing: a replacement exactly when the versions say newer, or older and allowed."""
    action = predicted_action(new, installed(have, origin=origin), allow_downgrade=allow_downgrade)
    order = version_order(new, have, same_content=new == have)
    if order > 0:
        assert action is PackAction.UPDATE
    elif order < 0 and allow_downgrade:
        assert action is PackAction.DOWNGRADE
    else:
        assert action in (PackAction.UNCHANGED, PackAction.REFUSE)
    assert predicted_action(new, None, allow_downgrade=allow_downgrade) is PackAction.INSTALL
