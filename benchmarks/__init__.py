"""StudyApp's performance harness: ``python -m benchmarks [--quick] [--json OUT]``.

- :mod:`benchmarks.textgen` and :mod:`benchmarks.generator` build seeded synthetic packs
  and profiles (questions over the CETL skill areas, two years of answers);
- :mod:`benchmarks.workloads` measures the app, :mod:`benchmarks.anki_side` the same
  operations in Anki's own library where Anki has them;
- :mod:`benchmarks.probe` is what runs in a fresh process (start-up, memory, GUI stalls);
- :mod:`benchmarks.report` prints the table and writes the JSON document.

The results and the design choices behind them are recorded in ``docs/performance.md``.
"""
