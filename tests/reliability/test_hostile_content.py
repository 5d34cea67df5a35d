"""No code and no network from content: a hostile pack imports, renders and runs the GUI
self-test with networking disabled; nothing connects and nothing unsafe reaches a widget.

The pack is full of script tags, event handlers, ``javascript:`` (and ``vbscript:``,
``data:``) links, frames, objects, forms, style sheets, ``<base>`` and ``<meta refresh>``,
and remote images in every spelling (http, https, protocol-relative, ``data:`` URIs,
``file:``, CSS ``url()``, ``srcset``, ``<picture>``), next to one image of its own that
must still show. Networking is off in this process (socket ``connect``/``connect_ex``/
``sendto`` and name resolution record and refuse every attempt) and, through a generated
``sitecustomize.py``, in the ``studyapp pack import`` and ``studyapp selftest`` processes,
which also log every HTML text given to a ``RenderedText`` and every resource it was asked
for.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser

from studyapp.domain.pack import Pack, PackManifest
from studyapp.domain.question import Option, Question
from studyapp.services.packs.files import shipped_frameworks
from studyapp.services.packs.interchange import write_interchange
from studyapp.services.packs.service import SEEDED_KEY, PackService
from studyapp.services.profile import Profile
from studyapp.storage.packs import load_media
from studyapp.storage.settings import write_settings
from studyapp.ui.widgets.rendered import RenderedText
from tests.conftest import REPO
from tests.packs.factory import write_dir
from tests.reliability import netguard

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
OWN_IMAGE = "media/ok.png"
EVIL = "127.0.0.1:9"  # the discard port on this machine: a real connection would be visible

SCRIPTS = [
    f"<script>fetch('http://{EVIL}/s')</script>",
    f"<script src='https://{EVIL}/s.js'></script>",
    "<img src=x onerror=\"fetch('http://127.0.0.1:9/e')\">",
    "<p onclick=\"alert(1)\" onmouseover='alert(2)'>hover</p>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
]
LINKS = [
    "[plain](javascript:alert(1))",
    "<a href='javascript:alert(1)'>a</a>",
    "<a href=' JaVaScRiPt:alert(1)'>b</a>",
    "<a href='vbscript:msgbox(1)'>c</a>",
    "<a href='data:text/html,<script>alert(1)</script>'>d</a>",
    f"<a href='file:///etc/passwd'>e</a> <a href='//{EVIL}/p'>f</a>",
    "<form action='https://evil.example/'><input name=q><button formaction='https://evil.example/'>"
    "go</button></form>",
]
FRAMES = [
    f"<iframe src='https://{EVIL}/frame'></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    f"<frameset><frame src='http://{EVIL}/f'></frameset>",
    f"<object data='http://{EVIL}/o.swf'></object><embed src='//{EVIL}/e.swf'>",
    f"<applet code=x codebase='http://{EVIL}/'></applet>",
    f"<meta http-equiv='refresh' content='0;url=https://{EVIL}/m'>",
    f"<base href='https://{EVIL}/'>",
    f"<link rel='stylesheet' href='https://{EVIL}/l.css'>",
]
IMAGES = [
    f"<img src='http://{EVIL}/a.png'>",
    "<img src='https://evil.example/b.png'>",
    "<img src='//evil.example/c.png'>",
    "<img src='data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC'>",
    "<img src='file:///etc/hostname'> <img src='qrc:/icons/x.png'>",
    f"<img src='{OWN_IMAGE}' srcset='https://evil.example/d.png 2x, //evil.example/e.png 3x'>",
    f"<picture><source srcset='https://{EVIL}/p.webp'><img src='{OWN_IMAGE}'></picture>",
    f"<div style=\"background:url('https://{EVIL}/bg.png')\">bg</div>",
    f"<style>@import url(https://{EVIL}/i.css); p {{ background: url(//{EVIL}/p.png) }}</style>",
    f"<table background='http://{EVIL}/t.png'><tr><td background='//{EVIL}/td.png'>t</td></tr>"
    "</table>",
    f"<video src='https://{EVIL}/v.mp4' poster='https://{EVIL}/v.png'></video>"
    f"<audio src='//{EVIL}/a.mp3'></audio>",
    f"<input type=image src='http://{EVIL}/in.png'>",
]
PAYLOADS = SCRIPTS + LINKS + FRAMES + IMAGES
FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "meta",
    "base",
    "link",
    "form",
    "input",
    "button",
    "svg",
    "math",
    "video",
    "audio",
    "source",
    "picture",
    "body",
    "html",
}


def hostile_pack() -> Pack:
    """A valid pack whose every text field carries hostile markup (and one own image)."""
    questions = []
    for i in range(0, len(PAYLOADS), 4):
        chunk = PAYLOADS[i : i + 4]
        while len(chunk) < 4:
            chunk.append(PAYLOADS[len(chunk)])
        stem = f"Question {i}: see ![chart]({OWN_IMAGE}) and {chunk[0]} Which is right?"
        options = tuple(
            Option(key, f"Option {key} {payload}", key == "a", f"Because {payload} {key}.")
            for key, payload in zip("abcd", chunk, strict=True)
        )
        questions.append(
            Question(
                id=f"hostile-{i}",
                skill="leadership-vision",
                type="single",
                stem=stem,
                options=options,
                explanation=" ".join(chunk),
            )
        )
    manifest = PackManifest(
        id="hostile",
        version="1.0.0",
        title="Hostile pack",
        framework="cetl",
        authors=("Mallory",),
        license="CC0-1.0",
    )
    return Pack(manifest, tuple(questions), {OWN_IMAGE: PNG})


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def unsafe_parts(html: str, media: set[str]) -> list[str]:
    """Everything in ``html`` that could run code or fetch something; [] when safe."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on") or name in ("style", "srcset", "background", "formaction"):
                found.append(f"<{tag} {name}=…>")
            elif name == "href" and not text.startswith(("http://", "https://")):
                found.append(f"<{tag} href={value!r}>")
            elif (name in ("src", "poster", "data", "action") and value not in media) or any(
                s in text for s in ("javascript:", "vbscript:", "url(")
            ):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def test_the_checker_sees_what_it_must():
    """The unsafe-markup checker flags raw hostile markup (so a pass means something)."""
    for payload in PAYLOADS:
        html = payload.replace("[plain](javascript:alert(1))", "<a href=javascript:x>p</a>")
        if payload.startswith(f"<img src='{OWN_IMAGE}'"):
            html = html.replace(OWN_IMAGE, "x")
        assert unsafe_parts(html, {OWN_IMAGE}), payload
    assert (
        unsafe_parts(
            f'<p><img src="{OWN_IMAGE}"><a href="https://a.example/">x</a></p>', {OWN_IMAGE}
        )
        == []
    )


@pytest.fixture
def no_network():
    """Networking off in this process; yields the list of attempts (must stay empty)."""
    attempts: list[tuple[str, str]] = []
    undo = netguard.install(lambda what, target: attempts.append((what, target)))
    yield attempts
    undo()


def test_the_guard_records_and_refuses_a_connection(no_network):
    """The guard is real: a connection attempt is refused and recorded."""
    import socket
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://{EVIL}/x", timeout=1)
    with socket.socket() as sock, pytest.raises(OSError):
        sock.connect(("127.0.0.1", 9))
    assert [what for what, _ in no_network][:1] in (["getaddrinfo"], ["create_connection"])
    assert ("connect", "(('127.0.0.1', 9),)") in no_network


def _render(widget: RenderedText) -> None:
    """Lay out and paint offscreen, as showing it would (images are requested here)."""
    widget.resize(480, 320)
    widget.document().size()
    widget.grab()


def test_hostile_pack_imports_and_renders_with_nothing_unsafe_and_no_connection(
    qtbot, paths, clock, tmp_path, monkeypatch, no_network
):
    """Import (studypack and Moodle XML) and render every text of every question: no
    connection attempt, no unsafe HTML in any widget, the pack's own image still shows."""
    given_html: list[str] = []

    def recording_set_html(self, html):
        given_html.append(html)
        QTextBrowser.setHtml(self, html)

    monkeypatch.setattr(RenderedText, "setHtml", recording_set_html)
    profile = Profile.open(paths, clock, "test")
    try:
        service = PackService(profile)
        hostile = hostile_pack()
        service.import_pack(write_dir(hostile, tmp_path / "hostile"))
        moodle = tmp_path / "hostile-moodle.xml"
        # Without the id pin, so the file becomes a pack of its own (both are rendered).
        write_interchange(moodle, "moodle-xml", hostile, shipped_frameworks()["cetl"], pin=False)
        report = service.import_pack(moodle).value
        assert report.added == len(hostile.questions)
        from studyapp.services.study.service import StudyService

        study = StudyService(profile)
        rendered = 0
        for installed in service.list():
            with profile.db.reader() as session:
                media = load_media(session, installed.id)
            with profile.db.reader() as session:
                qids = [
                    row[0]
                    for row in session.connection().exec_driver_sql(
                        "SELECT q.id FROM question q JOIN pack p ON p.id = q.pack_id "
                        "WHERE p.key = ?",
                        (installed.id,),
                    )
                ]
            for qid in qids:
                q = study.question(qid).question
                texts = [q.stem, q.explanation]
                texts += [t for o in q.options for t in (o.text, o.rationale)]
                for text in texts:
                    widget = RenderedText(confirm_links=False)
                    qtbot.addWidget(widget)
                    widget.set_markdown(text, media)
                    _render(widget)
                    assert not [r for r in widget.blocked_resources if r in media]
                    if "![chart]" in text:
                        image = widget.document().resource(
                            QTextDocument.ResourceType.ImageResource.value, QUrl(next(iter(media)))
                        )
                        assert image is not None and not image.isNull(), "own image must show"
                    rendered += 1
    finally:
        profile.close()
    assert rendered >= 2 * 10 * len(hostile.questions)
    media_names = {OWN_IMAGE} | {n for n in report_media(paths)}
    problems = {p for html in given_html for p in unsafe_parts(html, media_names)}
    assert problems == set(), problems
    assert no_network == []


def report_media(paths) -> list[str]:
    """Every media name stored in the profile (the only images allowed to load)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"{paths.database.resolve().as_uri()}?mode=ro", uri=True)) as c:
        return [row[0] for row in c.execute("SELECT name FROM media")]


def test_remote_images_that_reach_a_widget_are_refused_and_listed(qtbot, no_network):
    """Second line of defence: raw HTML with remote images (as if the sanitiser failed)
    loads none of them, lists each in blocked_resources, and connects nowhere."""
    widget = RenderedText(confirm_links=False)
    qtbot.addWidget(widget)
    widget.set_markdown("", {OWN_IMAGE: PNG})
    remote = [
        f"http://{EVIL}/a.png",
        "https://evil.example/b.png",
        "//evil.example/c.png",
        "file:///etc/hostname",
    ]
    raw = "".join(f"<p><img src='{url}' width=10 height=10></p>" for url in remote)
    QTextBrowser.setHtml(widget, raw + f"<img src='{OWN_IMAGE}'>")
    _render(widget)
    for url in remote:
        assert any(url.split("//")[-1] in blocked for blocked in widget.blocked_resources), url
    assert OWN_IMAGE not in widget.blocked_resources
    assert no_network == []


def _guarded_env(tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(netguard.SITECUSTOMIZE, "utf-8")
    net_log, render_log = tmp_path / "net.jsonl", tmp_path / "render.jsonl"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(REPO)]),
        "STUDYAPP_NETGUARD_LOG": str(net_log),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return env, net_log, render_log


def _entries(path: Path) -> list[dict]:
    return (
        [json.loads(line) for line in path.read_text("utf-8").splitlines()] if path.exists() else []
    )


def test_cli_import_and_gui_selftest_make_no_connection(tmp_path, paths, clock):
    """`studyapp pack import` of the hostile pack and `studyapp selftest` on that profile,
    each in its own process with networking off: both succeed, neither tries to connect,
    and every HTML text the self-test put on screen is safe."""
    profile = Profile.open(paths, clock, "test")  # only the hostile pack: screens show it
    with profile.db.unit_of_work() as session:
        write_settings(session, {SEEDED_KEY: True})
    profile.close()
    folder = write_dir(hostile_pack(), tmp_path / "hostile")
    env, net_log, render_log = _guarded_env(tmp_path)
    base = [sys.executable, "-m", "studyapp", "--data-dir", str(paths.data_dir)]
    imported = subprocess.run(
        [*base, "pack", "import", str(folder)],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    selftest = subprocess.run(
        [*base, "selftest"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**env, "STUDYAPP_RENDER_LOG": str(render_log)},
        cwd=REPO,
        check=False,
    )
    assert selftest.returncode == 0, selftest.stderr
    net = _entries(net_log)
    assert len({e["pid"] for e in net if e.get("installed")}) == 2, "guard not loaded in both"
    assert [e for e in net if "attempt" in e] == []
    render = _entries(render_log)
    assert any(e.get("watching") for e in render), "the selftest's widgets were not watched"
    html = [e["html"] for e in render if "html" in e]
    assert any("Question 0: see" in text for text in html), "no hostile question was shown"
    media = set(report_media(paths))
    problems = {p for text in html for p in unsafe_parts(text, media)}
    assert problems == set(), problems
    loaded = {e["resource"] for e in render if e.get("loaded")}
    assert loaded <= media, loaded - media
