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


def test_user_rule_refuses_past_and_today_exam_dates():
    """A new exam date must come after today; the message names key, rule and value."""
    from datetime import date

    from studyapp.domain.settings import SettingError, check_user_value, earliest_exam_date

    today = date(2026, 12, 1)
    assert earliest_exam_date(today) == date(2026, 12, 2)
    assert check_user_value("exam_date", "2026-12-02", today=today) == "2026-12-02"
    assert check_user_value("exam_date", None, today=today) is None
    for bad in ("2026-12-01", "2020-01-01"):
        with pytest.raises(SettingError) as caught:
            check_user_value("exam_date", bad, today=today)
        assert str(caught.value) == (
            f"exam_date must be a date in the future, as YYYY-MM-DD; got {bad}"
        )


def test_parse_user_value_types_and_framework_rule():
    """Typed text becomes the setting's type; unknown frameworks and keys are refused."""
    from datetime import date

    from studyapp.domain.settings import SettingError, parse_user_value

    today = date(2026, 12, 1)
    assert parse_user_value("desired_retention", "0.85", today=today) == 0.85
    assert parse_user_value("backup_daily", "no", today=today) is False
    assert parse_user_value("assumed_raw_cut", "none", today=today) is None
    assert parse_user_value("display_name", "  Ana  ", today=today) == "Ana"
    assert (
        parse_user_value(
            "target_framework", "state-cto", today=today, frameworks=("cetl", "state-cto")
        )
        == "state-cto"
    )
    with pytest.raises(SettingError, match=r"installed framework \(cetl\); got x"):
        parse_user_value("target_framework", "x", today=today, frameworks=("cetl",))
    with pytest.raises(SettingError, match="unknown setting 'welcome_done'"):
        parse_user_value("welcome_done", "true", today=today)
    with pytest.raises(SettingError, match="daily_goal_minutes must be a whole number"):
        parse_user_value("daily_goal_minutes", "4", today=today)


def test_stored_past_exam_date_still_loads():
    """An exam date that has passed stays readable: the storage rule only checks the form."""
    assert Settings.from_stored({"exam_date": "2020-01-01"}).exam_date == "2020-01-01"
