"""Mechanical form check of items: which test-wise strategies would pick the key.

usage: python3 formcheck.py WORKTREE ID [ID ...]

For each item it prints every mechanical strategy of docs/bank-review/figures.py that picks
the key among fewer than all options ("PICKS KEY" is a warning to the writer, not a
verdict), and the absolutes in each option. Round 7's writers ran it on each rewrite.
"""

import importlib.util
import json
import sys
from pathlib import Path


def main(root: Path, ids: list[str]) -> None:
    spec = importlib.util.spec_from_file_location("figs", root / "docs/bank-review/figures.py")
    assert spec is not None and spec.loader is not None
    figs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figs)
    questions = {}
    for path in (root / "question_banks/cetl-core/questions").glob("*.json"):
        for q in json.loads(path.read_text("utf-8"))["questions"]:
            questions[q["id"]] = q
    for qid in ids:
        q = questions[qid]
        keys = [o["id"] for o in q["options"] if o["correct"]]
        lengths = " ".join(f"{o['id']}:{len(o['text'])}" for o in q["options"])
        sys.stdout.write(f"{qid} key={','.join(keys)} lengths={lengths}\n")
        for name, score in figs.strategies().items():
            scores = score(q)
            best = [o["id"] for o, v in zip(q["options"], scores, strict=True) if v == max(scores)]
            if any(b in keys for b in best) and len(best) < len(q["options"]):
                sys.stdout.write(f"   PICKS KEY: {name} (picks {','.join(best)})\n")
        for o in q["options"]:
            found = figs.ABSOLUTES.findall(o["text"])
            if found:
                sys.stdout.write(f"   absolutes in {o['id']}: {found}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
