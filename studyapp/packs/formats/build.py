"""Turning what a reader collected into a pack: the rules every format shares.

Written once here (and documented in ``docs/interchange.md``):

- **stable ids**: a title / idnumber / id column if present, else ``h-`` and a hash of
  the normalised stem; a clash with an earlier question of the same file is a duplicate
  (skipped) when the content is identical, else gets ``.`` and 8 hex of its content;
- **skill areas**: the last segment of the category path names a skill area of the
  framework (id or title, any case), else the question is Unassigned; ``skill_override``
  (``--skill``) assigns all; ``category_skills`` lets a front end change the mapping;
- **the pack** (decision 0011): id pinned by the file (``studyapp-pack: id [version]``)
  or derived from the file name; version pinned by the file or derived from the content
  alone (``1.0.0-sha.<12 hex of the content hash>``), so the same file gives the same
  pack id, version and question ids on every machine; title from the file's header, its
  common top category, or a readable form of the file name;
- a file from which nothing can be imported is a :class:`PackError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import PurePath

from studyapp.domain.errors import PackError
from studyapp.domain.framework import Framework
from studyapp.domain.pack import Pack, PackManifest, content_version
from studyapp.domain.question import MAX_OPTIONS, MIN_OPTIONS, Option, Question
from studyapp.packs.formats.common import (
    MAX_TEXT,
    OPTION_IDS,
    Collector,
    Draft,
    InterchangeResult,
    PackHeader,
    SkippedItem,
    clean_category,
    last_segment,
)
from studyapp.packs.formats.textutil import pack_id_from_name, question_id_from, stem_id

_DEFAULT_FOR = re.compile(r"^default for\s+", re.IGNORECASE)
_EXTENSIONS = (".gift.txt", ".aiken.txt", ".gift", ".xml", ".aiken", ".csv", ".tsv", ".txt")


def build_result(
    collected: Collector,
    *,
    source_name: str,
    source_format: str,
    framework: Framework,
    skill_override: str | None,
    category_skills: Mapping[str, str | None] | None = None,
) -> InterchangeResult:
    """Apply the shared rules to what a reader collected; PackError if nothing is left."""
    return _build(
        tuple(collected.drafts),
        tuple(collected.skipped),
        tuple(collected.warnings),
        dict(collected.media),
        collected.header,
        source_name=source_name,
        source_format=source_format,
        framework=framework,
        skill_override=skill_override,
        category_skills=category_skills,
    )


def remap(
    result: InterchangeResult,
    framework: Framework,
    category_skills: Mapping[str, str | None],
    skill_override: str | None = None,
) -> InterchangeResult:
    """The same file with another category -> skill mapping (what the GUI lets users edit)."""
    return _build(
        result.drafts,
        result.reader_skipped,
        result.reader_warnings,
        result.all_media,
        result.header,
        source_name=result.source_name,
        source_format=result.pack.source_format,
        framework=framework,
        skill_override=skill_override,
        category_skills=category_skills,
    )


def _build(
    drafts: tuple[Draft, ...],
    reader_skipped: tuple[SkippedItem, ...],
    reader_warnings: tuple[str, ...],
    media: dict[str, bytes],
    header: PackHeader,
    *,
    source_name: str,
    source_format: str,
    framework: Framework,
    skill_override: str | None,
    category_skills: Mapping[str, str | None] | None,
) -> InterchangeResult:
    display = PurePath(source_name).name
    skipped = list(reader_skipped)
    warnings = list(reader_warnings)
    if skill_override is not None and framework.find_skill(skill_override) is None:
        raise PackError(
            f"--skill {skill_override!r} is not a skill area of {framework.id}; use one of: "
            + ", ".join(s.id for s in framework.skill_areas)
            + "."
        )
    mapping: dict[str, str | None] = {}
    for d in drafts:
        if d.category in mapping:
            continue
        mapping[d.category] = _skill_for(d.category, framework, skill_override, category_skills)

    questions: list[Question] = []
    by_id: dict[str, tuple[Question, Draft]] = {}
    unassigned: dict[str, int] = {}
    no_rationale = 0
    for d in drafts:
        problem = _problem(d)
        if problem:
            skipped.append(SkippedItem(d.where, problem))
            continue
        skill = mapping[d.category]
        base = question_id_from(d.key) if d.key.strip() else stem_id(d.stem)
        q = Question(
            id=base,
            skill=skill,
            type=d.type,
            stem=d.stem,
            options=tuple(
                Option(OPTION_IDS[i], o.text, o.correct, o.rationale)
                for i, o in enumerate(d.options)
            ),
            explanation=d.explanation,
            difficulty=d.difficulty,
            tags=d.tags,
            title=" ".join(d.title.split())[:200],
            extra={"category": d.category, "line": d.line},
        )
        if base in by_id:
            first, first_draft = by_id[base]
            alt = f"{base[:118]}.{q.content_hash()[:8]}"
            if first.content_hash() == q.content_hash() or alt in by_id:
                skipped.append(
                    SkippedItem(d.where, f"duplicate of the question at {first_draft.where}.")
                )
                continue
            q = replace(q, id=alt)
        by_id[q.id] = (q, d)
        questions.append(q)
        no_rationale += sum(1 for o in q.options if not o.rationale.strip())
        if skill is None:
            unassigned[d.category] = unassigned.get(d.category, 0) + 1
    for category, count in unassigned.items():
        label = f"category {category!r}" if category else "no category"
        many = count != 1
        warnings.append(
            f"{count} question{'s' if many else ''} in {label} match{'' if many else 'es'} no "
            f"skill area of {framework.id}; {'they count' if many else 'it counts'} as "
            "Unassigned (name a skill area in the category, or choose one for the category "
            "when importing)."
        )
    if no_rationale and questions:
        many = no_rationale != 1
        warnings.append(
            f"{no_rationale} answer option{'s' if many else ''} {'have' if many else 'has'} no "
            "feedback, so no rationale is shown for "
            f"{'them' if many else 'it'}; add the feedback in the file, or in the question "
            "editor after importing."
        )
    skipped.sort(key=_line_of)
    if not questions:
        shown = "; ".join(str(s).rstrip(".") for s in skipped[:3])
        more = f" (and {len(skipped) - 3} more)" if len(skipped) > 3 else ""
        detail = f": {shown}{more}" if skipped else ": it holds no questions"
        raise PackError(
            f"{source_name}: nothing could be imported{detail}. Nothing was changed; see "
            "docs/interchange.md for what StudyApp reads."
        )
    used = "\n".join(_texts(q) for q in questions)
    kept_media = {name: data for name, data in media.items() if name in used}
    manifest = PackManifest(
        id=header.pack_id or pack_id_from_name(source_name),
        version=header.version or "1.0.0",
        title=header.title or _title_from(drafts, framework) or readable_name(source_name),
        framework=framework.id,
        description=f"Imported from {display} ({source_format}).",
    )
    pack = Pack(manifest, tuple(questions), kept_media, None, source_format)
    if not header.version:
        version = content_version(pack.content_hash())
        pack = replace(pack, manifest=replace(manifest, version=version))
    return InterchangeResult(
        pack=pack,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        categories=mapping,
        source_name=source_name,
        drafts=drafts,
        reader_skipped=reader_skipped,
        reader_warnings=reader_warnings,
        all_media=media,
        header=header,
    )


def _skill_for(
    category: str,
    framework: Framework,
    skill_override: str | None,
    category_skills: Mapping[str, str | None] | None,
) -> str | None:
    if skill_override is not None:
        found = framework.find_skill(skill_override)
        return found.id if found else None
    if category_skills is not None and category in category_skills:
        chosen = category_skills[category]
        if chosen is None:
            return None
        found = framework.find_skill(chosen)
        if found is None:
            raise PackError(
                f"Category {category!r} is mapped to {chosen!r}, which is not a skill area "
                f"of {framework.id}."
            )
        return found.id
    segment = last_segment(category)
    found = framework.find_skill(segment) if segment else None
    return found.id if found else None


def _problem(d: Draft) -> str | None:
    """Why a draft cannot become a question (limits every pack obeys), or None."""
    if not d.stem.strip():
        return "the question text is empty."
    if not MIN_OPTIONS <= len(d.options) <= MAX_OPTIONS:
        return (
            f"has {len(d.options)} answer options; StudyApp needs {MIN_OPTIONS} to {MAX_OPTIONS}."
        )
    if any(not o.text.strip() for o in d.options):
        return "an answer option is empty."
    correct = sum(o.correct for o in d.options)
    if d.type == "single" and correct != 1:
        return f"a single-answer question needs exactly one correct option; it has {correct}."
    if d.type == "multiple" and correct < 2:
        return f"a multiple-answer question needs two or more correct options; it has {correct}."
    texts = [d.stem, d.explanation, *(o.text for o in d.options), *(o.rationale for o in d.options)]
    if any(len(t) > MAX_TEXT for t in texts):
        return f"a text is longer than {MAX_TEXT:,} characters."
    return None


def _line_of(item: SkippedItem) -> int:
    match = re.match(r"line (\d+)", item.where)
    return int(match.group(1)) if match else 0


def _texts(q: Question) -> str:
    return "\n".join(
        [q.stem, q.explanation, *(o.text for o in q.options), *(o.rationale for o in q.options)]
    )


def readable_name(source_name: str) -> str:
    """A title from a file name: ``district-quiz.gift`` -> ``District quiz``."""
    name = PurePath(source_name).name
    lowered = name.lower()
    for ext in _EXTENSIONS:
        if lowered.endswith(ext) and len(name) > len(ext):
            name = name[: -len(ext)]
            break
    words = re.sub(r"[\s._-]+", " ", name).strip()
    if not words:
        return "Imported questions"
    return words[0].upper() + words[1:] if words.islower() else words


def _title_from(drafts: tuple[Draft, ...], framework: Framework) -> str:
    """The top category every question shares, as a title (Moodle's "Default for X" -> X).

    Only when every question sits under one first segment that is not itself a skill
    area or the framework's id (then it names a course or bank, not a topic).
    """
    firsts = set()
    for d in drafts:
        path = clean_category(d.category)
        if not path:
            return ""
        firsts.add(path.replace("//", "\0").split("/")[0].replace("\0", "/").strip())
    if len(firsts) != 1:
        return ""
    top = _DEFAULT_FOR.sub("", firsts.pop()).strip()
    if not top or top.casefold() == framework.id.casefold() or framework.find_skill(top):
        return ""
    return top[:200]
