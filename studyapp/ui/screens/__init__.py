"""One module per screen. Each screen has ``refresh()`` and marks itself stale on Changes."""
