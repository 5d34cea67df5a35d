"""Settings: defaults, validation, tolerance of damaged stored values."""

from __future__ import annotations

import pytest

from studyapp.domain.settings import Settings


def test_defaults():
    """Desired retention defaults to 0.90 and no exam date is set."""
    s = Settings()
    assert s.desired_retention == 0.90 and s.exam_date is None and s.theme == "system"


def test_with_value_validates():
    """Out-of-range values are refused with the setting's name."""
    s = Settings()
    assert s.with_value("exam_date", "2027-03-01").exam_date == "2027-03-01"
    with pytest.raises(ValueError, match="desired_retention"):
        s.with_value("desired_retention", 1.5)
    with pytest.raises(ValueError, match="exam_date"):
        s.with_value("exam_date", "next spring")
    assert s.desired_retention == 0.90, "the original is unchanged"


def test_from_stored_ignores_unknown_and_bad_values():
    """A newer app's keys and damaged values never stop the profile from loading."""
    s = Settings.from_stored({"theme": "dark", "future_key": 1, "font_size": "huge"})
    assert s.theme == "dark" and s.font_size == Settings().font_size
