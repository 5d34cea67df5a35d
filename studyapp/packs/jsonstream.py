"""JSON decoding that never holds the interpreter for long.

``json.loads`` of a 12 MB question file is one C call that holds the GIL for about 300 ms,
freezing the GUI thread while an import runs on the worker. :func:`loads_gently` returns
exactly what ``json.loads`` returns, but decodes a top-level object's array members one at
a time (``JSONDecoder.raw_decode``), so other threads run between them.
"""

from __future__ import annotations

import json
from typing import Any

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _expect(text: str, i: int, char: str) -> int:
    i = _skip(text, i)
    if i >= len(text) or text[i] != char:
        raise json.JSONDecodeError(f"Expecting '{char}'", text, i)
    return i + 1


def _array(text: str, i: int) -> tuple[list[Any], int]:
    """Decode the array starting at ``text[i] == '['`` element by element."""
    out: list[Any] = []
    i = _skip(text, i + 1)
    if i < len(text) and text[i] == "]":
        return out, i + 1
    while True:
        value, i = _DECODER.raw_decode(text, _skip(text, i))
        out.append(value)
        i = _skip(text, i)
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        if i < len(text) and text[i] == "]":
            return out, i + 1
        raise json.JSONDecodeError("Expecting ',' delimiter", text, i)


def loads_gently(text: str) -> Any:
    """``json.loads(text)``, decoded in small steps when the top level is an object."""
    i = _skip(text, 0)
    if i >= len(text) or text[i] != "{":
        return json.loads(text)
    result: dict[str, Any] = {}
    i = _skip(text, i + 1)
    if i < len(text) and text[i] == "}":
        i += 1
    else:
        while True:
            key, i = _DECODER.raw_decode(text, _skip(text, i))
            if not isinstance(key, str):
                raise json.JSONDecodeError(
                    "Expecting property name enclosed in double quotes", text, i
                )
            i = _skip(text, _expect(text, i, ":"))
            if i < len(text) and text[i] == "[":
                value, i = _array(text, i)
            else:
                value, i = _DECODER.raw_decode(text, i)
            result[key] = value
            i = _skip(text, i)
            if i < len(text) and text[i] == ",":
                i += 1
                continue
            i = _expect(text, i, "}")
            break
    if _skip(text, i) != len(text):
        raise json.JSONDecodeError("Extra data", text, _skip(text, i))
    return result
