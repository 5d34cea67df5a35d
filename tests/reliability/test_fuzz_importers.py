"""Hostile packs: every importer fuzzed; only StudyApp's own errors ever come out.

Each reader gets random bytes and mutated valid files: bit flips, truncation, cut-out and
repeated ranges, inserted control characters and invalid UTF-8, the format's own special
characters (braces, tildes, percent weights, angle brackets, quotes, delimiters), huge
numbers, deep nesting and XML entity and DOCTYPE declarations. StudyApp packs are fuzzed
both as ZIP archives (built from hostile entries: traversal and absolute names, symbolic
links, duplicates, encrypted flags, directory entries, zip bombs, every compression
method, then possibly damaged) and as folders (a mutated manifest or question file,
resealed or not, so the content rules are reached as well as the hash check).

A reader may accept an input or refuse it with a :class:`StudyAppError`; any other
exception is a bug and fails the test. A sample of cases goes through the real import on
a real profile: a refused import changes no row (``iterdump`` before and after) and leaves
the database intact.

About 3,000 cases in all; ``STUDYAPP_FUZZ_SCALE`` multiplies them for a longer local run.
"""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.domain.errors import StudyAppError
from studyapp.packs.formats import FORMATS, by_name, detect
from studyapp.packs.studypack import pack_file_map
from studyapp.services.packs.files import shipped_frameworks, validate_pack_file
from studyapp.services.packs.service import PackService
from studyapp.services.profile import Profile
from tests.dbtools import count, rows_of
from tests.packs.factory import pack, question

pytestmark = pytest.mark.slow

SCALE = float(os.environ.get("STUDYAPP_FUZZ_SCALE", "1"))
FIXTURES = Path(__file__).resolve().parent.parent / "packs" / "fixtures"
CETL = shipped_frameworks()["cetl"]


def _examples(n: int) -> int:
    return max(1, int(n * SCALE))


def fuzz_settings(n: int) -> settings:
    """Many examples, no deadline (CI machines are slow), fixtures reused across examples."""
    return settings(
        max_examples=_examples(n),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# ------------------------------------------------------------------ valid seeds

AIKEN_SEED = (
    b"Which plan should a district write FIRST?\n"
    b"A. A technology plan tied to learning goals\n"
    b"B. A device refresh schedule\n"
    b"C) A vendor shortlist\n"
    b"ANSWER: A\n\n"
    b"Who owns a data governance charter?\n"
    b"A. The cabinet\n"
    b"B. The help desk\n"
    b"ANSWER: A\n"
)
SEEDS: dict[str, bytes] = {
    "gift": (FIXTURES / "district-bank.gift").read_bytes(),
    "moodle-xml": (FIXTURES / "district-bank.xml").read_bytes(),
    "csv": (FIXTURES / "district-bank.csv").read_bytes(),
    "aiken": AIKEN_SEED,
}
EXTENSION = {"gift": ".gift", "moodle-xml": ".xml", "csv": ".csv", "aiken": ".aiken.txt"}
VALID_PACK = pack(
    [
        question("fz-1"),
        question("fz-2", "data-management", multiple=True),
        question("fz-3", "strategic-planning", stem="See **this** and <b>that</b>. Which?"),
    ],
    pack_id="fuzz-pack",
)
PACK_FILES = pack_file_map(VALID_PACK)

# ------------------------------------------------------------------ mutations

CONTROL = [bytes([c]) for c in range(32)] + [
    b"\x7f",
    "\u2028".encode(),
    "\ufeff".encode(),
    "\ufffe".encode(),
    b"\xff",
    b"\xfe\xff",
    b"\xff\xfe",
    b"\xc3",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
]
SPECIAL = [
    b"{",
    b"}",
    b"{{",
    b"}}",
    b"{}",
    b"~",
    b"=",
    b"#",
    b"####",
    b":",
    b"::",
    b"::x::",
    b"\\",
    b"\\{",
    b"%",
    b"%-100%",
    b"%50%",
    b"$CATEGORY:",
    b"[html]",
    b"[markdown]",
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"]]>",
    b"<![CDATA[",
    b"</quiz>",
    b"<question>",
    b'<question type="multichoice">',
    b"<answer fraction=",
    b"@@PLUGINFILE@@/",
    b'"',
    b"'",
    b",",
    b";",
    b"\t",
    b"\r",
    b"\n",
    b"\r\n",
    b"ANSWER:",
    b"ANSWER: Z",
    b"A.",
    b"Z)",
    b"[",
    b"]",
    b'"questions":',
    b"null",
    b"true",
    b"-",
    b"../",
    b"media/x.png",
    b"![x](",
    b"<script>",
    b"javascript:",
]
HUGE = [
    b"9" * 5000,
    b"-" + b"9" * 5000,
    b"1e999999",
    b"-1e309",
    b"1" + b"0" * 400 + b".5",
    b"0." + b"0" * 400 + b"1",
    b"%99999999999999999999999%",
    b"%1e400%",
    b"18446744073709551617",
    b"NaN",
    b"Infinity",
    b"-0",
    b"\xef\xbc\x99",  # a full-width digit
]
NESTING = [
    b"{" * 3000,
    b"}" * 3000,
    b"[" * 5000,
    b'{"a":' * 3000,
    b"<a>" * 80,
    b"<a>" * 80 + b"</a>" * 80,
    b"<a>" * 3000,
    b"(" * 5000,
    b"> " * 3000,
    b"**" * 3000,
    b"[" * 3000 + b"](" * 3000,
]
ENTITIES = [
    b'<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaaaaaaaa">]>',
    b'<!DOCTYPE quiz [<!ENTITY a "&b;&b;&b;&b;"><!ENTITY b "xxxxxxxxxx">]>',
    b'<!ENTITY lol "lol">',
    b"&lol;",
    b"&a;",
    b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">',
    b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    b'<!ENTITY e SYSTEM "file:///etc/passwd">',
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="x-no-such-encoding"?>',
    b'<?xml version="1.0" encoding="latin-1"?>',
    b"<?xml-stylesheet href='http://127.0.0.1:9/x.xsl'?>",
    b"&#0;",
    b"&#x110000;",
    b"&#xD800;",
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    b"<!-- -->",
    b"<!--",
]
PAYLOADS = CONTROL + SPECIAL + HUGE + NESTING + ENTITIES


NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")
OPENER = re.compile(rb"[{\[(]|<[A-Za-z_][\w-]*>")
KINDS = ["flip", "truncate", "insert", "delete", "repeat", "overwrite", "number", "nest"]


def _pick(draw: st.DrawFn, pattern: re.Pattern[bytes], data: bytearray) -> re.Match[bytes] | None:
    found = list(pattern.finditer(data))
    return draw(st.sampled_from(found)) if found else None


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with one to four mutations."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(KINDS))
        pos = draw(st.integers(0, len(data)))
        if kind == "number" and (match := _pick(draw, NUMBER, data)):
            data[match.start() : match.end()] = draw(st.sampled_from(HUGE))
        elif kind == "nest" and (match := _pick(draw, OPENER, data)):
            data[match.start() : match.start()] = match.group() * draw(st.integers(50, 5000))
        elif kind == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[pos:]
        elif kind == "insert":
            payload = draw(st.sampled_from(PAYLOADS) | st.binary(min_size=1, max_size=16))
            data[pos:pos] = payload
        elif kind == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif kind == "repeat":
            chunk = bytes(data[pos : pos + draw(st.integers(1, 200))])
            data[pos:pos] = chunk * draw(st.integers(1, 20))
        elif kind == "overwrite":
            payload = draw(st.binary(min_size=1, max_size=32))
            data[pos : pos + len(payload)] = payload
    return bytes(data)


def fuzzed(seed: bytes) -> st.SearchStrategy[bytes]:
    """Mostly mutated valid files, sometimes random bytes."""
    return st.one_of(mutated(seed), mutated(seed), mutated(seed), st.binary(max_size=2048))


def only_own_errors(fn: Callable[[], object]) -> StudyAppError | None:
    """Run ``fn``; a StudyAppError is returned, anything else propagates (a bug)."""
    try:
        fn()
    except StudyAppError as exc:
        message = str(exc)
        assert message.strip() and "Traceback" not in message
        return exc
    return None


# ------------------------------------------------------------------ interchange readers


@pytest.mark.parametrize("fmt_name", [f.name for f in FORMATS])
def test_interchange_readers_raise_only_their_own_errors(fmt_name):
    """GIFT, Moodle XML, Aiken and CSV: random and mutated files are read or refused
    with a StudyAppError, never another exception."""
    fmt = by_name(fmt_name)
    name = "fuzz" + EXTENSION[fmt_name]

    @fuzz_settings(450)
    @given(data=fuzzed(SEEDS[fmt_name]))
    def check(data: bytes) -> None:
        only_own_errors(lambda: detect("fuzz.txt", data))
        only_own_errors(lambda: fmt.read(data, name, CETL, None))
        only_own_errors(lambda: fmt.read(data, name, CETL, "data-management"))

    check()


# ------------------------------------------------------------------ studypack archives

TRAVERSAL = [
    "../evil.json",
    "../../evil.json",
    "/etc/evil.json",
    "C:/evil.json",
    "c:evil.json",
    "a\\..\\b.json",
    "questions/../../evil.json",
    "questions/./a.json",
    "questions//a.json",
    "./manifest.json",
    "questions/" + "x" * 300 + ".json",
    "media/\u202ereversed.png",
    "manifest.json\u0000.png",
    "MANIFEST.JSON",
    " manifest.json",
]


@st.composite
def hostile_zip(draw: st.DrawFn) -> bytes:
    """A ZIP built from valid pack files and hostile entries, then possibly damaged."""
    names = sorted(PACK_FILES)
    keep = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    entries: list[tuple[zipfile.ZipInfo, bytes]] = []
    for name in keep:
        data = PACK_FILES[name]
        if draw(st.integers(0, 4)) == 0:
            data = draw(mutated(data))
        entries.append((zipfile.ZipInfo(name), data))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(
            st.sampled_from(["traversal", "symlink", "dir", "bomb", "duplicate", "encrypted"])
        )
        name = draw(st.sampled_from([*TRAVERSAL, *names, "media/a.png", "questions/b.json"]))
        data = draw(st.binary(max_size=64))
        info = zipfile.ZipInfo(name)
        if kind == "symlink":
            info.external_attr = 0o120777 << 16
            data = draw(st.sampled_from([b"/etc/passwd", b"../../..", b"manifest.json"]))
        elif kind == "dir":
            info = zipfile.ZipInfo(name.rstrip("/") + "/")
            info.external_attr = 0o40755 << 16
            data = b""
        elif kind == "bomb":
            data = b"\0" * draw(st.integers(300_000, 3_000_000))
        elif kind == "duplicate" and entries:
            info = zipfile.ZipInfo(entries[0][0].filename)
        elif kind == "encrypted":
            info.flag_bits |= 0x1
        entries.append((info, data))
    method = draw(
        st.sampled_from(
            [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
        )
    )
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(buffer, "w") as archive:
            for info, data in draw(st.permutations(entries)):
                info.compress_type = method
                archive.writestr(info, data)
    raw = buffer.getvalue()
    if draw(st.booleans()):
        raw = draw(mutated(raw))
    return raw


def test_studypack_archives_raise_only_their_own_errors(tmp_path):
    """Hostile and damaged .studypack archives: problems reported (or PackError), never
    another exception, and nothing is ever written beside the archive."""
    folder = tmp_path / "drop"
    folder.mkdir()
    target = folder / "fuzz.studypack"

    @fuzz_settings(600)
    @given(data=st.one_of(hostile_zip(), hostile_zip(), hostile_zip(), st.binary(max_size=1024)))
    def check(data: bytes) -> None:
        target.write_bytes(data)
        only_own_errors(lambda: validate_pack_file(target))
        assert sorted(p.name for p in folder.iterdir()) == ["fuzz.studypack"]

    check()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drop"]


# ------------------------------------------------------------------ studypack folders


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    for old in sorted(folder.rglob("*"), reverse=True):
        if old.is_dir() and not old.is_symlink():
            old.rmdir()
        else:
            old.unlink()
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _resealed(files: dict[str, bytes]) -> dict[str, bytes]:
    """Manifest hashes recomputed, so content rules are reached past the hash check."""
    import hashlib
    import json

    try:
        manifest = json.loads(files["manifest.json"])
    except (KeyError, ValueError, RecursionError):
        return files
    if not isinstance(manifest, dict):
        return files
    manifest["files"] = {
        n: hashlib.sha256(d).hexdigest() for n, d in files.items() if n != "manifest.json"
    }
    return {**files, "manifest.json": json.dumps(manifest).encode()}


@st.composite
def mutated_folder(draw: st.DrawFn) -> tuple[dict[str, bytes], str | None]:
    """The valid pack's files with one or two of them mutated, maybe resealed, maybe a link."""
    files = dict(PACK_FILES)
    for name in draw(st.lists(st.sampled_from(sorted(files)), min_size=1, max_size=2)):
        files[name] = draw(mutated(files[name]))
    if draw(st.booleans()):
        files = _resealed(files)
    link = draw(st.none() | st.sampled_from(["media/x.png", "questions/link.json", "README.md"]))
    return files, link


def test_studypack_folders_raise_only_their_own_errors(tmp_path):
    """A pack folder with mutated files (or a symbolic link): problems or PackError only."""
    folder = tmp_path / "pack"
    folder.mkdir()
    outside = tmp_path / "secret.json"
    outside.write_text('{"questions": []}', "utf-8")

    @fuzz_settings(450)
    @given(case=mutated_folder())
    def check(case: tuple[dict[str, bytes], str | None]) -> None:
        files, link = case
        _write_folder(folder, files)
        if link is not None:
            (folder / link).parent.mkdir(parents=True, exist_ok=True)
            (folder / link).unlink(missing_ok=True)
            (folder / link).symlink_to(outside)
        result = only_own_errors(lambda: validate_pack_file(folder))
        if link is not None and result is None:
            assert not validate_pack_file(folder).valid, "a pack with a link must be refused"

    check()


# ------------------------------------------------------------------ real imports


@st.composite
def import_case(draw: st.DrawFn) -> tuple[str, str | None, bytes | dict[str, bytes]]:
    """(kind, forced format or None, content) for one import on the real profile."""
    kind = draw(st.sampled_from(["zip", "folder", *SEEDS]))
    forced = draw(st.none() | st.just("force"))
    if kind == "zip":
        return kind, "studypack" if forced else None, draw(hostile_zip())
    if kind == "folder":
        files, _link = draw(mutated_folder())
        return kind, "studypack" if forced else None, files
    return kind, kind if forced else None, draw(fuzzed(SEEDS[kind]))


def test_refused_imports_change_no_row(tmp_path, paths, clock):
    """A sample of fuzzed files through PackService.import_pack on a real profile with
    progress: refused with a StudyAppError and every row as it was, or imported whole."""
    from tests.dbtools import fill

    profile = Profile.open(paths, clock, "test")
    try:
        fill(profile, 6, pack_id="existing")
        from studyapp.services.study.service import StudyService

        study = StudyService(profile)
        _plan, items = study.plan(3)
        for item in items:
            study.answer(item.qid, sorted(item.question.correct_ids)[:1], 12.0)
        service = PackService(profile)
        work = tmp_path / "in"
        work.mkdir()
        outcomes = {"refused": 0, "imported": 0}

        @fuzz_settings(160)
        @given(case=import_case())
        def check(case: tuple[str, str | None, bytes | dict[str, bytes]]) -> None:
            kind, forced, content = case
            if isinstance(content, dict):
                path = work / "fuzz-folder"
                path.mkdir(exist_ok=True)
                _write_folder(path, content)
            else:
                path = work / ("fuzz.studypack" if kind == "zip" else "fuzz" + EXTENSION[kind])
                path.write_bytes(content)
            before = rows_of(paths.database)
            error = only_own_errors(lambda: service.import_pack(path, format=forced))
            if error is not None:
                outcomes["refused"] += 1
                assert rows_of(paths.database) == before, f"refused import changed rows: {error}"
            else:
                outcomes["imported"] += 1
            assert count(paths.database, "SELECT count(*) FROM review_log") == len(items)

        check()
        with profile.db.reader() as session:
            ok = session.connection().exec_driver_sql("PRAGMA integrity_check").scalar()
        assert ok == "ok"
        assert outcomes["refused"] > 0, outcomes
    finally:
        profile.close()


# ------------------------------------------------------------------ what the fuzzers found


def _zip_claiming_version_64() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", b"{}")
    raw = bytearray(buffer.getvalue())
    central = raw.index(b"PK\x01\x02")
    raw[central + 6 : central + 8] = (64).to_bytes(2, "little")  # "version needed to extract"
    return bytes(raw)


def test_inputs_the_fuzzers_found_are_refused_cleanly(tmp_path):
    """Each input that once escaped as a foreign exception is now a plain refusal."""
    archive = tmp_path / "v64.studypack"
    archive.write_bytes(_zip_claiming_version_64())
    result = validate_pack_file(archive)
    assert not result.valid and "not a readable pack archive" in result.problems[0].message

    huge_grade = b"::q1::Which?{~%" + b"9" * 400 + b"%yes ~%-100%no =maybe}\n"
    with pytest.raises(StudyAppError, match="not one of Moodle's grades"):
        by_name("gift").read(huge_grade, "huge.gift", CETL, None)

    declared = b'<?xml version="1.0" encoding="x-no-such-encoding"?><quiz></quiz>'
    with pytest.raises(StudyAppError, match="encoding"):
        by_name("moodle-xml").read(declared, "enc.xml", CETL, None)

    folder = tmp_path / "digits"
    files = dict(PACK_FILES)
    name = next(n for n in files if n.startswith("questions/"))
    files[name] = files[name].replace(b'"difficulty": 2', b'"difficulty": ' + b"9" * 5000, 1)
    folder.mkdir()
    _write_folder(folder, files)
    problems = [p.message for p in validate_pack_file(folder).problems]
    assert any("invalid JSON" in m and "4300" in m for m in problems), problems
