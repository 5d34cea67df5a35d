"""Planning follows the target framework and switching back keeps all progress."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC

import pytest

from studyapp.domain.framework import framework_from_dict
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from studyapp.services.settings import SettingsService
from studyapp.services.study.service import StudyService
from tests.packs.factory import pack, question, write_dir
from tests.test_cli_settings import _state_framework


@pytest.fixture
def profile(paths, clock, tmp_path):
    profile = Profile.open(paths, clock, "test")
    cetl = [question(f"c{i}", ["leadership-vision", "ethics-policies"][i % 2]) for i in range(10)]
    PackService(profile).import_pack(write_dir(pack(cetl), tmp_path / "cetl"))
    state = pack(
        [question(f"n{i}", "networks") for i in range(4)] + [question("s0", "staffing")],
        pack_id="state",
    )
    state = replace(
        state,
        manifest=replace(state.manifest, framework="state-cto"),
        framework=framework_from_dict(_state_framework()),
    )
    PackService(profile).import_pack(write_dir(state, tmp_path / "state"))
    yield profile
    profile.close()


@pytest.mark.parametrize("mode", ["default", "unseen", "cram"])
def test_every_mode_plans_only_the_target_frameworks_questions(profile, mode):
    """With state-cto as target, no CETL question is planned, even when the target runs out."""
    SettingsService(profile, tz=UTC).update(target_framework="state-cto")
    study = StudyService(profile, tz=UTC)
    practice = study.plan_practice(15, mode=mode, rng=random.Random(1), new_limit=100)
    assert {i.skill for i in practice.items} <= {"networks", "staffing"}
    assert len(practice.items) == 5
    assert practice.shortfall is not None and "this session has 5" in practice.shortfall


def test_switching_target_keeps_progress(profile):
    """Answers given toward CETL are all there again after a trip to another target."""
    study = StudyService(profile, tz=UTC)
    settings = SettingsService(profile, tz=UTC)
    for item in study.plan_practice(4, rng=random.Random(2)).items:
        study.answer(item.qid, sorted(item.question.correct_ids), 15.0)
    seen_before = {s.id: s.seen for s in study.stats().skills}
    settings.update(target_framework="state-cto")
    assert {s.id for s in study.stats().skills} == {"networks", "staffing"}
    assert sum(s.seen for s in study.stats().skills) == 0
    settings.update(target_framework="cetl")
    assert {s.id: s.seen for s in study.stats().skills} == seen_before
    assert sum(seen_before.values()) == 4
