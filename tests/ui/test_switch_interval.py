"""The GUI process gets the interpreter lock back quickly from a computing worker (decision 0017).

While the worker computes in Python, the GUI thread waits for the interpreter lock every
time it needs the interpreter (several times per event-loop turn), each wait up to the
switch interval; measured in docs/decisions/0017. Tests never assert timings, so this
checks the setting the measurements chose.
"""

from __future__ import annotations

import sys

import pytest

from studyapp.ui.application import make_application
from studyapp.ui.tasks import GUI_SWITCH_INTERVAL_S


@pytest.fixture
def default_interval():
    """CPython's default switch interval for the test, the previous one restored after."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    yield
    sys.setswitchinterval(previous)


def test_starting_the_gui_shortens_the_switch_interval(qapp, default_interval):
    """make_application sets the short interval, also when the QApplication already exists."""
    assert make_application() is qapp
    assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S)
    assert GUI_SWITCH_INTERVAL_S < 0.005
