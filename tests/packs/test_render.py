"""Rendering: Markdown to HTML through the allow-list sanitiser."""

from __future__ import annotations

import pytest

from studyapp.packs.render import render_markdown


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>hello", "<script"),
        ('<img src="media/a.png" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("![pixel](https://tracker.example/p.png)", "tracker.example"),
        ('<img src="data:image/png;base64,AAAA">', "data:"),
        ('<div style="background:url(https://evil.example)">x</div>', "evil.example"),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ('<object data="x.swf"></object>', "<object"),
        ('<form action="https://evil.example"><input></form>', "<form"),
    ],
)
def test_unsafe_markup_never_survives(source, forbidden):
    """Scripts, handlers, javascript: links, frames and remote images are removed."""
    html = render_markdown(source, media=["media/a.png"])
    assert forbidden.lower() not in html.lower()


def test_pack_media_and_http_links_are_kept():
    """Images of the pack's own media stay; http(s) links stay with a safe rel."""
    html = render_markdown(
        "![chart](media/a.png) see [FERPA](https://studentprivacy.ed.gov/)", ["media/a.png"]
    )
    assert 'src="media/a.png"' in html
    assert 'href="https://studentprivacy.ed.gov/"' in html and "noopener" in html


def test_markdown_structure_renders():
    """Emphasis, lists and tables render."""
    html = render_markdown("**Bold** and *it*\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<strong>Bold</strong>" in html and "<li>one</li>" in html and "<td>1</td>" in html
