"""The same operations in Anki's own library (``anki`` from PyPI, the ``bench`` extra).

Anki gets the same questions as StudyApp (the generator's pack, same seed): one Basic
note per question, the front holding the stem and the four options, the back the four
rationales and the explanation, so both databases carry the same text. The history of the
StudyApp profile is mirrored into Anki: every seen question's card is a review card with
the same FSRS memory (stability, difficulty) and due day, and every answer is a revlog
entry with the same rating and time, so Anki's FSRS optimizer fits the same answers.

Anki runs with its defaults (its own clock, its own SQLite settings); ``pragmas`` reports
them, since durability costs time: StudyApp commits each answer with ``synchronous=FULL``.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

# anki.collection first: importing anki.cards on its own hits a circular import.
from anki.collection import AddNoteRequest, Card, Collection
from anki.import_export_pb2 import (
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.scheduler_pb2 import CardAnswer

from benchmarks.generator import SIZES, make_pack
from benchmarks.measure import Summary
from benchmarks.textgen import BENCH_NOW

DAY_MS = 86_400_000


def _front(q: Any) -> str:
    options = "".join(f"<li>{o.id}) {o.text}</li>" for o in q.options)
    return f"<p>{q.stem}</p><ol>{options}</ol>"


def _back(q: Any) -> str:
    why = "".join(
        f"<li>{o.id}) {'correct' if o.correct else 'wrong'}: {o.rationale}</li>" for o in q.options
    )
    return f"<ul>{why}</ul><p>{q.explanation}</p>"


class AnkiSide:
    """Builds Anki collections mirroring the run's profiles and times Anki's operations."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.root = ctx.work / "anki"
        self.pragmas: dict[str, Any] = {}

    # ------------------------------------------------------------------ building
    def _dir(self, size: str) -> Path:
        path = self.root / size
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _notes_collection(self, size: str) -> Path:
        """A collection with one note per question of the ``size`` profile's pack."""
        target = self._dir(size) / "notes.anki2"
        if target.is_file():
            return target
        # The pack alone (not the profile) decides the notes, so this can be built while
        # the StudyApp profile of the same size is still being written.
        pack = make_pack(SIZES[size].questions, self.ctx.seed)
        tmp = target.with_suffix(".tmp.anki2")
        tmp.unlink(missing_ok=True)
        col = Collection(str(tmp))
        try:
            basic = col.models.by_name("Basic")
            assert basic is not None
            deck = col.decks.id("Synthetic", create=True)
            assert deck is not None
            batch: list[AddNoteRequest] = []
            for q in pack.questions:
                note = col.new_note(basic)
                note["Front"] = _front(q)
                note["Back"] = _back(q)
                note.tags = [q.skill or "unassigned"]
                batch.append(AddNoteRequest(note=note, deck_id=deck))
                if len(batch) == 5000:
                    col.add_notes(batch)
                    batch = []
            if batch:
                col.add_notes(batch)
        finally:
            col.close()
        tmp.replace(target)
        return target

    def _apkg(self, size: str) -> Path:
        """The notes exported as an ``.apkg`` (no scheduling, no media)."""
        target = self._dir(size) / "notes.apkg"
        if target.is_file():
            return target
        work = self._dir(size) / "export.anki2"
        shutil.copy(self._notes_collection(size), work)
        col = Collection(str(work))
        try:
            col.export_anki_package(
                out_path=str(target),
                options=ExportAnkiPackageOptions(
                    with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
                ),
                limit=None,
            )
        finally:
            col.close()
        work.unlink(missing_ok=True)
        return target

    def _studied_collection(self, size: str) -> Path:
        """The notes collection with the StudyApp profile's memory states and answers."""
        target = self._dir(size) / "studied.anki2"
        if target.is_file():
            return target
        tmp = target.with_suffix(".tmp.anki2")
        shutil.copy(self._notes_collection(size), tmp)
        built = self.ctx.profile(size)
        with closing(
            sqlite3.connect(
                f"{built.data_dir.joinpath('studyapp.sqlite3').as_uri()}?mode=ro", uri=True
            )
        ) as src:
            # The notes were added in the pack's order, which is the order of the keys
            # (q000000, q000001, …); database ids follow the pack's skill files instead.
            order = [qid for (qid,) in src.execute("SELECT id FROM question ORDER BY key")]
            memory = src.execute(
                "SELECT question_id, stability, difficulty, due, last_review, reps, lapses "
                "FROM memory_state"
            ).fetchall()
            log = src.execute(
                "SELECT question_id, answered_at, rating, response_ms, mode, first_attempt "
                "FROM review_log WHERE question_id IS NOT NULL ORDER BY id"
            ).fetchall()
        # Anki's own handle reads what only it knows (card ids, today) and sets the
        # options; the million-row writes go through sqlite3 on the closed file, since
        # ``col.db.executemany`` passes every row through the backend's bridge (16 minutes
        # for the large size's million answers, against seconds this way).
        col = Collection(str(tmp))
        try:
            cards = col.db.list(
                "SELECT c.id FROM cards c JOIN notes n ON n.id = c.nid ORDER BY n.id"
            )
            assert len(cards) == len(order)
            today = col.sched.today
            col.set_config("fsrs", True)
            deck = col.decks.id("Synthetic", create=False)
            conf = col.decks.config_dict_for_deck_id(deck)
            conf["new"]["perDay"] = 9999
            conf["rev"]["perDay"] = 9999
            col.decks.update_config(conf)
        finally:
            col.close()
        card_of = dict(zip(order, cards, strict=True))
        now_ms = int(BENCH_NOW.timestamp() * 1000)
        rows = []
        for qid, s, d, due, last, reps, lapses in memory:
            ivl = max(1, round((due - last) / DAY_MS)) if last else 1
            due_day = today + (due - now_ms) // DAY_MS
            data = json.dumps({"s": round(s, 4), "d": round(d, 4), "dr": 0.9})
            rows.append((due_day, ivl, reps, lapses, data, card_of[qid]))
        shift = int(time.time() * 1000) - now_ms  # Anki runs on the real clock
        used: set[int] = set()
        revlog = []
        for qid, at, rating, ms, mode, first in log:
            if mode == "cram":
                continue
            rid = at + shift
            while rid in used:
                rid += 1
            used.add(rid)
            revlog.append((rid, card_of[qid], rating, min(ms, 60_000), 0 if first else 1))
        with closing(sqlite3.connect(tmp)) as db, db:
            db.executemany(
                "UPDATE cards SET type=2, queue=2, due=?, ivl=?, factor=2500, reps=?, lapses=?, "
                "left=0, data=? WHERE id=?",
                rows,
            )
            db.executemany(
                "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                "VALUES (?, ?, -1, ?, 1, 1, 2500, ?, ?)",
                revlog,
            )
        tmp.replace(target)
        return target

    def _open_copy(self, source: Path, name: str) -> Collection:
        work = self._dir("runs") / f"{name}.anki2"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        shutil.copy(source, work)
        col = Collection(str(work))
        self.pragmas = {
            "journal_mode": col.db.scalar("pragma journal_mode"),
            "synchronous": col.db.scalar("pragma synchronous"),
        }
        return col

    # ------------------------------------------------------------------ workloads
    def import_apkg(self, size: str) -> Summary:
        """Seconds to import the notes' ``.apkg`` into an empty collection (3 runs)."""
        apkg = self._apkg(size)
        samples = []
        for i in range(3):
            path = self._dir("runs") / f"import-{i}.anki2"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            col = Collection(str(path))
            try:
                start = time.perf_counter()
                col.import_anki_package(
                    ImportAnkiPackageRequest(
                        package_path=str(apkg),
                        options=ImportAnkiPackageOptions(
                            merge_notetypes=False, with_scheduling=False, with_deck_configs=False
                        ),
                    )
                )
                samples.append(time.perf_counter() - start)
                assert col.note_count() == SIZES[size].questions
            finally:
                col.close()
            self.ctx.log(f"  anki import {i + 1}/3: {samples[-1]:.2f} s")
        return Summary.of(samples)

    def answer_loop(self, size: str, answers: int = 1000) -> Summary:
        """Milliseconds per answer: next card, its question rendered, answer committed."""
        col = self._open_copy(self._studied_collection(size), "answers")
        deck = col.decks.id("Synthetic", create=False)
        assert deck is not None
        col.decks.select(deck)  # the scheduler serves the current deck
        rng = random.Random(self.ctx.seed)
        samples = []
        try:
            for _ in range(answers):
                start = time.perf_counter()
                queued = col.sched.get_queued_cards(fetch_limit=1)
                if not queued.cards:
                    if not samples:
                        raise RuntimeError("Anki offered no card to study")
                    break  # a small deck can be exhausted for now: report what was measured
                top = queued.cards[0]
                card = Card(col, backend_card=top.card)
                card.start_timer()
                card.question()
                rating = CardAnswer.GOOD if rng.random() < 0.8 else CardAnswer.AGAIN
                col.sched.answer_card(
                    col.sched.build_answer(card=card, states=top.states, rating=rating)
                )
                samples.append((time.perf_counter() - start) * 1000)
        finally:
            col.close()
        return Summary.of(samples)

    def fsrs_fit(self, size: str) -> Summary:
        """Seconds for Anki's optimizer over the mirrored answers (it reads its revlog)."""
        samples = []
        for i in range(3):
            col = self._open_copy(self._studied_collection(size), f"fit-{i}")
            try:
                start = time.perf_counter()
                col._backend.compute_fsrs_params(
                    search="",
                    current_params=[],
                    ignore_revlogs_before_ms=0,
                    num_of_relearning_steps=0,
                    health_check=False,
                )
                samples.append(time.perf_counter() - start)
            finally:
                col.close()
        return Summary.of(samples)
