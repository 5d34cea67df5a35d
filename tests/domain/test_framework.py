"""Framework definitions: the CETL file and the validation rules."""

from __future__ import annotations

import copy
import json

import pytest

from studyapp.config import package_data_dir
from studyapp.domain.errors import FrameworkError
from studyapp.domain.framework import framework_from_dict


@pytest.fixture
def cetl_dict():
    return json.loads((package_data_dir() / "frameworks" / "cetl.json").read_text("utf-8"))


def test_cetl_has_3_categories_10_skills_with_published_weights(cetl_dict):
    """The shipped CETL definition matches the published 2019 weights."""
    fw = framework_from_dict(cetl_dict)
    assert [c.title for c in fw.categories] == [
        "Leadership & Vision",
        "Understanding the Educational Environment",
        "Managing Technology & Support Resources",
    ]
    assert [round(c.weight, 2) for c in fw.categories] == [0.40, 0.30, 0.30]
    weights = {s.id: round(s.weight * 100) for s in fw.skill_areas}
    assert weights == {
        "leadership-vision": 15,
        "strategic-planning": 15,
        "ethics-policies": 10,
        "instructional-focus": 12,
        "team-building": 9,
        "stakeholder-focus": 9,
        "it-management": 9,
        "communication-systems": 7,
        "business-management": 7,
        "data-management": 7,
    }
    assert fw.exam.length == 100 and fw.exam.pass_scaled == 600 and fw.exam.scale_max == 800
    assert fw.exam.time_limit_published is False


def test_round_trip_through_dict(cetl_dict):
    """to_dict and framework_from_dict are inverse."""
    fw = framework_from_dict(cetl_dict)
    assert framework_from_dict(fw.to_dict()) == fw


def test_find_skill_by_id_or_title_case_insensitive(cetl_dict):
    """Skill areas match by id or display name, ignoring case."""
    fw = framework_from_dict(cetl_dict)
    assert fw.find_skill("DATA MANAGEMENT").id == "data-management"
    assert fw.find_skill(" ethics-policies ").id == "ethics-policies"
    assert fw.find_skill("Unassigned") is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["categories"][0]["skill_areas"][0].update(weight=0.5), "add up to"),
        (lambda d: d.update(format_version=99), "format 99"),
        (
            lambda d: d["categories"][1]["skill_areas"][0].update(id="leadership-vision"),
            "used twice",
        ),
        (lambda d: d["categories"][0]["skill_areas"][0].update(weight="x"), "weight"),
        (lambda d: d.update(id="Bad Id"), "lower-case"),
        (lambda d: d["exam"].update(assumed_raw_cut=1.5), "assumed_raw_cut"),
        (lambda d: d.update(categories=[]), "at least one skill area"),
    ],
)
def test_invalid_definitions_are_refused_with_a_reason(cetl_dict, mutate, message):
    """Each broken definition is refused with a message naming the problem."""
    data = copy.deepcopy(cetl_dict)
    mutate(data)
    with pytest.raises(FrameworkError, match=message):
        framework_from_dict(data, "test.json")
