# StudyApp: the two commands that matter are `make run` and `make test`.
# Both create a local .venv on first use and reinstall when pyproject.toml changes.

ifeq ($(OS),Windows_NT)
    PYTHON ?= py -3
    BIN := .venv/Scripts
    BUNDLE_EXE := dist/StudyApp/StudyApp-cli.exe
else
    PYTHON ?= python3
    BIN := .venv/bin
    BUNDLE_EXE := dist/StudyApp/StudyApp
endif
PY := $(BIN)/python
STAMP := .venv/.installed
INSTALLER_STAMP := .venv/.installed-installer
# STUDYAPP_ONEFILE=1 make installer: one self-extracting executable in dist/onefile/.
ONEFILE := $(filter 1 true yes on,$(STUDYAPP_ONEFILE))

.PHONY: run test lint format typecheck imports pytest selftest installer installer-check bench bench-quick clean help

help:
	@echo "make run        set up .venv and start StudyApp with the CETL pack"
	@echo "make test       set up .venv and run every check headless (lint, types, import contracts, pack validation, tests)"
	@echo "make lint       ruff check and format check"
	@echo "make installer  build the self-contained app with PyInstaller (dist/StudyApp; docs/installing.md)"
	@echo "make installer-check  build it, then run its selftest against a fresh profile"
	@echo "make bench      full performance benchmark run (long)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m studyapp

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: $(STAMP)
	$(PY) -m mypy

imports: $(STAMP)
	$(BIN)/lint-imports

packcheck: $(STAMP)
	$(PY) -m studyapp pack validate question_banks/cetl-core
	$(PY) -m studyapp pack lint question_banks/cetl-core

pytest: $(STAMP)
	$(PY) -m pytest -q

test: lint typecheck imports packcheck pytest

selftest: $(STAMP)
	$(PY) -m studyapp selftest

# The Anki side is optional: when the bench extra cannot be installed, the benchmark still
# runs and reports Anki's columns as null.
BENCH_STAMP := .venv/.installed-bench
$(BENCH_STAMP): $(STAMP)
	-$(PY) -m pip install --quiet -e ".[dev,bench]"
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) -m benchmarks --json bench-results.json

bench-quick: $(BENCH_STAMP)
	$(PY) -m benchmarks --quick

$(INSTALLER_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev,installer]"
	@touch $(INSTALLER_STAMP)

installer: $(INSTALLER_STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN $(if $(ONEFILE),--distpath dist/onefile --workpath build/onefile) build_installer.spec

# The built bundle, not the source tree: a fresh profile in a temporary folder must open
# (migrations run from the bundled scripts), import the shipped pack and pass the selftest.
installer-check: installer
	@set -e; profile="$$(mktemp -d)"; trap 'rm -rf "$$profile"' EXIT; \
	QT_QPA_PLATFORM=offscreen $(BUNDLE_EXE) --data-dir "$$profile/p" selftest; \
	$(BUNDLE_EXE) --data-dir "$$profile/p" info --json > "$$profile/info.json"; \
	$(PY) -c "import json, sys; d = json.load(open(sys.argv[1])); c = d['counts']; \
	ok = c['packs'] >= 1 and c['questions'] > 0 and bool(d['schema_revision']); \
	print('bundle profile: schema', d['schema_revision'], '|', c['packs'], 'pack(s),', c['questions'], 'questions'); \
	sys.exit(0 if ok else 'bundle check failed: the fresh profile has no shipped questions')" "$$profile/info.json"
	@du -sh dist/StudyApp

clean:
	rm -rf .venv build dist .mypy_cache .pytest_cache .ruff_cache
