"""The native pack format (``studyapp-pack``, format version 1): read, validate, write.

Layout (a ZIP named ``*.studypack``, or the same files in a folder)::

    manifest.json            format, ids, version, metadata, SHA-256 of every other file
    framework.json           optional: a framework this app does not ship
    questions/*.json         {"questions": [ ... ]}
    media/*                  images (PNG, JPEG, GIF, WebP)
    README.md                optional notes for people
    REVISIONS.md             optional notes for people: what changed in which questions, and why

The specification, with every field, is ``docs/pack-format.md``; the JSON Schema is
``studyapp/packs/pack.schema.json``. :func:`load_pack` reports every problem at once.

Why this module is longer than 500 lines: it is one file format. Reading, validating and
writing share the layout constants, the manifest's hashes of every file and the limits
above; a writer kept apart from the reader is how the two drift apart.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp import fsutil
from studyapp.domain.errors import FrameworkError, PackError
from studyapp.domain.framework import Framework, framework_from_dict
from studyapp.domain.media import sniff_image_type
from studyapp.domain.pack import (
    PACK_FORMAT,
    PACK_FORMAT_VERSION,
    PACK_ID_RE,
    QUESTION_ID_RE,
    Pack,
    PackManifest,
    parse_version,
)
from studyapp.domain.question import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    QUESTION_TYPES,
    Option,
    Question,
    Reference,
)
from studyapp.packs.jsonstream import loads_gently
from studyapp.packs.limits import DEFAULT_LIMITS, ArchiveLimits
from studyapp.packs.problems import Problems
from studyapp.packs.source import PackFiles, read_pack_files

MANIFEST = "manifest.json"
FRAMEWORK_FILE = "framework.json"
# Notes for people (README, REVISIONS) and the ``pack lint`` allow list: listed, never loaded.
EXTRA_FILES = ("README.md", "REVISIONS.md", "lint-allow.json")
MAX_TEXT = 20_000
MAX_TAGS = 20
_TAG_RE = re.compile(r"^[\w][\w .:/+-]{0,63}$")
_MEDIA_REF_RE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
_URL_RE = re.compile(r"^https?://[^\s]+$")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """A pack (None when any error was found) and every problem found."""

    pack: Pack | None
    problems: list[Any]
    extras: dict[str, bytes] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.pack is not None


FrameworkLookup = Callable[[str], Framework | None]


def load_pack(
    path: Path, frameworks: FrameworkLookup, limits: ArchiveLimits = DEFAULT_LIMITS
) -> LoadResult:
    """Read and validate a pack; never raises for bad content, reports it instead."""
    problems = Problems()
    try:
        files = read_pack_files(path, limits)
    except PackError as exc:
        problems.error(str(path), str(exc).removeprefix(f"{path}: "))
        return LoadResult(None, problems.items)
    pack = _parse(files, frameworks, problems, limits)
    extras = {name: files.files[name] for name in EXTRA_FILES if name in files.files}
    return LoadResult(None if problems.has_errors else pack, problems.items, extras)


def _decode_json(name: str, data: bytes, problems: Problems) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(name, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8.")
        return None
    try:
        return loads_gently(text)
    except json.JSONDecodeError as exc:
        problems.error(f"{name}:{exc.lineno}", f"invalid JSON: {exc.msg} (column {exc.colno}).")
        return None
    except RecursionError:
        problems.error(name, "JSON nested too deeply.")
        return None
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        problems.error(name, f"invalid JSON: {exc}.")
        return None


def _parse(
    pf: PackFiles, frameworks: FrameworkLookup, problems: Problems, limits: ArchiveLimits
) -> Pack | None:
    files = pf.files
    if MANIFEST not in files:
        problems.error(str(pf.origin), f"has no {MANIFEST}; this is not a StudyApp pack.")
        return None
    raw = _decode_json(MANIFEST, files[MANIFEST], problems)
    if not isinstance(raw, dict):
        if raw is not None:
            problems.error(MANIFEST, "must be a JSON object.")
        return None
    manifest = _parse_manifest(raw, problems)
    if manifest is None:
        return None
    _check_hashes(manifest, files, problems)

    framework: Framework | None = None
    if FRAMEWORK_FILE in files:
        fw_raw = _decode_json(FRAMEWORK_FILE, files[FRAMEWORK_FILE], problems)
        if fw_raw is not None:
            try:
                framework = framework_from_dict(fw_raw, FRAMEWORK_FILE)
            except FrameworkError as exc:
                problems.error(FRAMEWORK_FILE, str(exc).removeprefix(f"{FRAMEWORK_FILE}: "))
    known = framework if framework is not None and framework.id == manifest.framework else None
    known = known or frameworks(manifest.framework)
    if known is None:
        problems.error(
            f"{MANIFEST}: framework",
            f"framework {manifest.framework!r} is unknown to this StudyApp and the pack has "
            f"no {FRAMEWORK_FILE} defining it.",
        )

    media: dict[str, bytes] = {}
    for name, data in files.items():
        if name.startswith("media/"):
            if sniff_image_type(data) is None:
                problems.error(
                    name, "is not a PNG, JPEG, GIF or WebP image (SVG and others are refused)."
                )
            elif len(data) > limits.max_media_bytes:
                problems.error(name, f"is larger than {limits.max_media_bytes:,} bytes.")
            else:
                media[name] = data

    question_files = sorted(n for n in files if n.startswith("questions/") and n.endswith(".json"))
    if not question_files:
        problems.error(str(pf.origin), "has no questions/*.json file.")
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for name in question_files:
        doc = _decode_json(name, files[name], problems)
        if doc is None:
            continue
        items = doc.get("questions") if isinstance(doc, dict) else None
        if not isinstance(items, list):
            problems.error(name, 'must be an object {"questions": [ ... ]}.')
            continue
        for index, item in enumerate(items):
            # Drop each question's parsed JSON once it is checked: freed one at a time here
            # rather than all at once with the file's document (a pause of ~50 ms per
            # 10,000 questions during which no other thread runs).
            items[index] = None
            raw_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(raw_id, str):
                if raw_id in seen:
                    problems.error(
                        f"{name}: {raw_id}",
                        f"id is used twice (also in {seen[raw_id]}); ids must be unique in a pack.",
                    )
                    continue
                seen[raw_id] = name
            q = parse_question(item, f"{name}: #{index + 1}", problems, known, media)
            if q is not None:
                questions.append(q)
    for name in files:
        if name not in (MANIFEST, FRAMEWORK_FILE, *EXTRA_FILES) and not (
            name.startswith(("questions/", "media/"))
        ):
            problems.warning(name, "is not part of the pack format and will be ignored.")
    return Pack(manifest, tuple(questions), media, framework, "studypack")


def _parse_manifest(raw: Mapping[str, Any], problems: Problems) -> PackManifest | None:
    where = MANIFEST
    if raw.get("format") != PACK_FORMAT:
        problems.error(f"{where}: format", f"must be '{PACK_FORMAT}'.")
        return None
    fmt = raw.get("format_version")
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        problems.error(f"{where}: format_version", "must be a positive whole number.")
        return None
    if fmt > PACK_FORMAT_VERSION:
        problems.error(
            f"{where}: format_version",
            f"the pack was written in pack format {fmt}; this StudyApp reads up to format "
            f"{PACK_FORMAT_VERSION}. Update StudyApp to open it.",
        )
        return None
    ok = True

    def text(key: str, required: bool = True, limit: int = 2000) -> str:
        nonlocal ok
        value = raw.get(key, "" if not required else None)
        if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
            problems.error(
                f"{where}: {key}",
                f"must be {'a non-empty ' if required else 'a '}text "
                f"of at most {limit} characters.",
            )
            ok = False
            return ""
        return value

    pid, version, title = text("id"), text("version", limit=64), text("title", limit=200)
    framework = text("framework", limit=64)
    description, license_, created = (
        text("description", False, 5000),
        text("license", False, 200),
        text("created", False, 32),
    )
    if pid and not PACK_ID_RE.match(pid):
        problems.error(
            f"{where}: id", f"{pid!r} must be lower-case letters, digits, '.', '_' or '-'."
        )
        ok = False
    if version and parse_version(version) is None:
        problems.error(f"{where}: version", f"{version!r} is not a version such as 1.0.0.")
        ok = False
    authors = raw.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        problems.error(f"{where}: authors", "must be a list of names.")
        ok = False
        authors = []
    files = raw.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        problems.error(f"{where}: files", "must map every file of the pack to its SHA-256.")
        ok = False
        files = {}
    if not ok:
        return None
    return PackManifest(
        id=pid,
        version=version,
        title=title,
        framework=framework,
        description=description,
        authors=tuple(authors),
        license=license_,
        created=created,
        format_version=fmt,
        files=dict(files),
    )


def _check_hashes(manifest: PackManifest, files: Mapping[str, bytes], problems: Problems) -> None:
    for name, expected in sorted(manifest.files.items()):
        if name not in files:
            problems.error(f"{MANIFEST}: files", f"lists {name}, which is missing from the pack.")
            continue
        actual = hashlib.sha256(files[name]).hexdigest()
        if actual != expected.lower():
            problems.error(
                name,
                "its SHA-256 does not match the manifest: the file was changed or damaged after "
                "the pack was made. Get a fresh copy from the pack's author.",
            )
    for name in sorted(files):
        if name != MANIFEST and name not in manifest.files:
            problems.error(name, "is not listed in the manifest's files; re-build the pack.")


def parse_question(
    item: Any,
    where: str,
    problems: Problems,
    framework: Framework | None,
    media: Mapping[str, bytes] | None = None,
) -> Question | None:
    """Validate one question object; report every problem and return it if valid."""
    if not isinstance(item, dict):
        problems.error(where, "each question must be a JSON object.")
        return None
    qid = item.get("id")
    if isinstance(qid, str) and QUESTION_ID_RE.match(qid):
        where = f"{where.split(': #')[0]}: {qid}"
    else:
        problems.error(
            where, f"'id' {qid!r} must be letters, digits, '.', '_', ':' or '-' (at most 128)."
        )
    errors_before = problems.errors

    def err(field: str, message: str) -> None:
        problems.error(f"{where}: {field}", message)

    skill = item.get("skill")
    if skill is not None and not isinstance(skill, str):
        err("skill", "must be a skill-area id.")
    elif framework is not None and skill is not None and _unknown_skill(framework, skill):
        err(
            "skill",
            f"{skill!r} is not a skill area of {framework.id}; use one of: "
            + ", ".join(s.id for s in framework.skill_areas)
            + ".",
        )
    elif skill is None:
        problems.warning(f"{where}: skill", "no skill area; the question counts as Unassigned.")
    qtype = item.get("type")
    if qtype not in QUESTION_TYPES:
        err("type", "must be 'single' or 'multiple'.")
    stem = _text(item, "stem", where, problems, required=True)
    explanation = _text(item, "explanation", where, problems, required=False)
    title = _text(item, "title", where, problems, required=False)
    if len(title) > MAX_TITLE:
        err("title", f"is longer than {MAX_TITLE} characters.")
    options_raw = item.get("options")
    options: list[Option] = []
    if not isinstance(options_raw, list) or not MIN_OPTIONS <= len(options_raw) <= MAX_OPTIONS:
        err("options", f"must be a list of {MIN_OPTIONS} to {MAX_OPTIONS} options.")
    else:
        seen_ids: set[str] = set()
        for i, o in enumerate(options_raw):
            option = _valid_option(o, seen_ids)
            if option is not None:  # the common case, checked without building messages
                seen_ids.add(option.id)
                options.append(option)
                continue
            owhere = f"options[{i}]"
            if not isinstance(o, dict):
                err(owhere, "must be an object with id, text, correct and rationale.")
                continue
            oid = o.get("id")
            if not isinstance(oid, str) or not QUESTION_ID_RE.match(oid) or oid in seen_ids:
                err(f"{owhere}.id", "must be a short unique id such as 'a'.")
                continue
            seen_ids.add(oid)
            correct = o.get("correct")
            if not isinstance(correct, bool):
                err(f"{owhere}.correct", "must be true or false.")
            otext = _text(o, "text", f"{where}: {owhere}", problems, required=True)
            rationale = _text(o, "rationale", f"{where}: {owhere}", problems, required=False)
            if not rationale.strip():
                err(f"{owhere}.rationale", "is empty; say why this option is right or wrong.")
            options.append(Option(oid, otext, correct is True, rationale))
        n_correct = sum(o.correct for o in options)
        if qtype == "single" and n_correct != 1:
            err(
                "options",
                "a question with one correct answer needs exactly one correct option; it has "
                f"{n_correct}. Mark one option correct, or allow several correct answers.",
            )
        if qtype == "multiple" and n_correct < 2:
            err(
                "options",
                "a question with several correct answers needs at least two correct options; "
                f"it has {n_correct}. Mark more options correct, or allow one correct answer.",
            )
    difficulty = item.get("difficulty", 2)
    if difficulty not in (1, 2, 3) or isinstance(difficulty, bool):
        err("difficulty", "must be 1, 2 or 3.")
    revision = item.get("revision", 1)
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
        err("revision", "must be a whole number of at least 1.")
    tags = item.get("tags", [])
    if (
        not isinstance(tags, list)
        or len(tags) > MAX_TAGS
        or not all(isinstance(t, str) and _TAG_RE.match(t) for t in tags)
    ):
        err(
            "tags", f"must be a list of at most {MAX_TAGS} short tags (letters, digits, - . : / +)."
        )
        tags = []
    refs: list[Reference] = []
    refs_raw = item.get("references", [])
    if not isinstance(refs_raw, list):
        err("references", "must be a list of {title, section, url}.")
    else:
        for i, r in enumerate(refs_raw):
            if (
                not isinstance(r, dict)
                or not isinstance(r.get("title"), str)
                or not r["title"].strip()
            ):
                err(f"references[{i}]", "needs a title.")
                continue
            url = r.get("url", "")
            if not isinstance(url, str) or (url and not _URL_RE.match(url)):
                err(
                    f"references[{i}].url",
                    "must be an http(s) address (shown as text, never fetched).",
                )
                url = ""
            refs.append(Reference(r["title"].strip(), str(r.get("section", "") or ""), url))
    for text_value in [
        stem,
        explanation,
        *(o.text for o in options),
        *(o.rationale for o in options),
    ]:
        if "![" not in text_value:  # what every match starts with; most texts have none
            continue
        for target in _MEDIA_REF_RE.findall(text_value):
            if media is not None and target not in media:
                err(
                    "media",
                    f"refers to {target!r}, which is not in the pack's media/ folder "
                    "(remote images are never loaded).",
                )
    if problems.errors > errors_before or not isinstance(qid, str) or not QUESTION_ID_RE.match(qid):
        return None
    return Question(
        id=qid,
        skill=skill,
        type="multiple" if qtype == "multiple" else "single",
        stem=stem,
        options=tuple(options),
        explanation=explanation,
        difficulty=difficulty,
        tags=tuple(tags),
        references=tuple(refs),
        revision=revision,
        title=" ".join(title.split()),
    )


def _unknown_skill(framework: Framework, skill: str) -> bool:
    """``framework.find_skill(skill) is None``, with the framework's names looked up once."""
    global _skill_names
    cached = _skill_names
    if cached is None or cached[0] is not framework:
        names = frozenset(
            name.casefold() for s in framework.skill_areas for name in (s.id, s.title)
        )
        cached = _skill_names = (framework, names)
    return skill.strip().casefold() not in cached[1]


_skill_names: tuple[Framework, frozenset[str]] | None = None


def _valid_option(o: Any, seen_ids: set[str]) -> Option | None:
    """The option when it is valid, else None (the caller then reports what is wrong).

    Accepts exactly the options the full checks in :func:`parse_question` accept without a
    problem, so it changes no result and no message; it only spares building messages.
    """
    if type(o) is not dict:
        return None
    oid = o.get("id")
    correct = o.get("correct")
    text = o.get("text")
    rationale = o.get("rationale", "")
    if (
        type(oid) is str
        and type(correct) is bool
        and type(text) is str
        and type(rationale) is str
        and text
        and rationale
        and len(text) <= MAX_TEXT
        and len(rationale) <= MAX_TEXT
        and not text.isspace()  # with the test above: text.strip() is not empty
        and not rationale.isspace()
        and oid not in seen_ids
        and QUESTION_ID_RE.match(oid)
    ):
        return Option(oid, text, correct, rationale)
    return None


MAX_TITLE = 200  # a question's title: a name for people, one line


def _text(
    obj: Mapping[str, Any], key: str, where: str, problems: Problems, *, required: bool
) -> str:
    value = obj.get(key, None if required else "")
    if (
        type(value) is str
        and len(value) <= MAX_TEXT
        and (not required or (value and not value.isspace()))
    ):
        return value  # the common case: valid text, nothing to report
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.error(
            f"{where}: {key}", "must be non-empty text." if required else "must be text."
        )
        return ""
    if len(value) > MAX_TEXT:
        problems.error(f"{where}: {key}", f"is longer than {MAX_TEXT:,} characters.")
        return ""
    return value


# ------------------------------------------------------------------ writing


def pack_file_map(pack: Pack, readme: str | None = None) -> dict[str, bytes]:
    """Every file of ``pack`` in the native layout, manifest (with hashes) included."""
    by_skill: dict[str, list[dict[str, Any]]] = {}
    for q in pack.questions:
        by_skill.setdefault(q.skill or "unassigned", []).append(q.to_dict())
    files: dict[str, bytes] = {}
    for skill, items in sorted(by_skill.items()):
        files[f"questions/{skill}.json"] = _json_bytes({"questions": items})
    for name, data in sorted(pack.media.items()):
        files[name] = data
    if pack.framework is not None:
        files[FRAMEWORK_FILE] = _json_bytes(pack.framework.to_dict())
    if readme:
        files["README.md"] = readme.encode("utf-8")
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    manifest = PackManifest(
        id=pack.manifest.id,
        version=pack.manifest.version,
        title=pack.manifest.title,
        framework=pack.manifest.framework,
        description=pack.manifest.description,
        authors=pack.manifest.authors,
        license=pack.manifest.license,
        created=pack.manifest.created,
        files=hashes,
    )
    files[MANIFEST] = _json_bytes(manifest.to_dict())
    return files


def write_pack_zip(pack: Pack, target: Path) -> None:
    """Write ``pack`` as a ``.studypack`` ZIP, atomically (temp file, then rename)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(pack_file_map(pack).items()):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    _atomic_write(target, buffer.getvalue())


def reseal_folder(folder: Path) -> int:
    """Recompute the manifest's file hashes of a pack folder; returns files listed.

    For authors who edit a pack folder by hand (the shipped bank is kept this way).
    """
    manifest_path = folder / MANIFEST
    data = json.loads(manifest_path.read_text("utf-8"))
    pf = read_pack_files(folder)
    data["files"] = {
        name: hashlib.sha256(content).hexdigest()
        for name, content in sorted(pf.files.items())
        if name != MANIFEST
    }
    _atomic_write(manifest_path, _json_bytes(data))
    return len(data["files"])


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _atomic_write(target: Path, data: bytes) -> None:
    try:
        fsutil.write_atomically(target, data)
    except OSError as exc:
        raise PackError(f"{target}: could not be written ({exc.strerror or exc}).") from exc
