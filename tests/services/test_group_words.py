"""The group's words that ``group status`` and the Group screen share (services.groups.report)."""

from __future__ import annotations

import pytest

from studyapp.services.groups.report import flag_words, skipped_line


@pytest.mark.parametrize(
    ("count", "line"),
    [
        (1, "1 file in the group folder could not be read and was skipped."),
        (2, "2 files in the group folder could not be read and were skipped."),
        (1200, "1,200 files in the group folder could not be read and were skipped."),
    ],
)
def test_skipped_line_agrees_with_its_count(count, line):
    """One skipped file 'was' skipped, several 'were'; counts get thousands separators."""
    assert skipped_line(count) == line


def test_flag_words_name_an_unknown_flag_instead_of_failing():
    """A flag this version has no words for is shown by its name (no KeyError in the CLI)."""
    assert flag_words(("from-a-newer-version",)) == "from-a-newer-version"
