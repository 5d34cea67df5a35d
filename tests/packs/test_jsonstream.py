"""loads_gently returns exactly what json.loads returns, and fails where it fails."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.packs.jsonstream import loads_gently

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=5), st.sampled_from([None, 0, 2]))
def test_same_result_as_json_loads(doc, indent):
    """Any object, any layout: the same value as json.loads."""
    text = json.dumps(doc, indent=indent)
    assert loads_gently(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"questions": [1, 2,]}',
        '{"a": 1} extra',
        '{"a" 1}',
        '{"questions": [1 2]}',
        "{1: 2}",
        '{"a": [1, 2}',
    ],
)
def test_malformed_documents_raise_decode_errors(text):
    """Broken JSON raises JSONDecodeError (with a position), never something else."""
    with pytest.raises(json.JSONDecodeError):
        loads_gently(text)


def test_non_object_top_levels_are_plain_json():
    """Arrays and scalars at the top level decode as json.loads does."""
    assert loads_gently("[1, 2]") == [1, 2]
    assert loads_gently(' "x" ') == "x"
