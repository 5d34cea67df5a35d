"""Markdown to safe HTML: the one place question text becomes markup.

Pack content is untrusted. Markdown is rendered with Python-Markdown (raw HTML in the
source is allowed through to the sanitiser, which decides), then cleaned by nh3 (the
Ammonia sanitiser) with an allow-list:

- tags for text structure only; no script, style, iframe, object, embed, form, svg, math;
- no event-handler or style attributes;
- links: ``http``/``https`` only, marked ``rel="noopener noreferrer nofollow"``; the UI
  shows them and opens them in the system browser only after the user confirms;
- images: only names of the pack's own media (``media/...``); anything else, remote
  addresses and ``data:`` URIs included, loses its ``src`` and shows its alt text.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "del",
        "sup",
        "sub",
        "code",
        "pre",
        "kbd",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "img",
        "span",
        "dl",
        "dt",
        "dd",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
_HTTP = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def render_markdown(text: str, media: Collection[str] = ()) -> str:
    """Render ``text`` (Markdown) to sanitised HTML; ``media`` are the allowed image names."""
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    allowed_media = frozenset(media)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if value in allowed_media else None
        if tag == "a" and attribute == "href":
            return value if _HTTP.match(value) else None
        return value

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https"},
        attribute_filter=keep,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
