# afterview: `make lab` to open the workbook, `make test` to run every test.
# Both set everything up first (a .venv beside this file), so they work on a fresh clone.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
APP_PORT ?= 8866
# The journal the workbook opens; `make lab JOURNAL=data/demo.sqlite` to look at the demo.
JOURNAL ?= data/journal.sqlite
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab app test test-fast lint bench demo clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

# The user's journal: data/journal.sqlite (git-ignored). The demo lives in its own file.
data/journal.sqlite: | $(STAMP)
	$(BIN)/afterview init --journal $@

data/demo.sqlite: | $(STAMP)
	$(BIN)/afterview demo --journal $@.tmp && mv $@.tmp $@

demo: data/demo.sqlite

lab: setup data/journal.sqlite data/demo.sqlite
	$(BIN)/afterview init --journal $(JOURNAL)
	AFTERVIEW_JOURNAL=$(abspath $(JOURNAL)) $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 \
		--LabApp.default_url=/lab/tree/0-today.ipynb \
		--ServerApp.port=$(PORT) --ServerApp.root_dir=notebooks $(ROOT_FLAG)

# The whole workbook as a standalone web app (Voila: widgets and pictures, code hidden):
# Today, the interview form, Reflect, Messages and any other notebook, linked to each other.
# (a list option is given once per item: a JSON list in one flag is silently ignored)
APP_HIDE := $(foreach g,__pycache__ *.pyc *.pyo *~,--ContentsManager.hide_globs='$(g)')

app: setup data/journal.sqlite data/demo.sqlite
	@echo "afterview app: open http://127.0.0.1:$(APP_PORT)/ (Today; every page: /voila/tree)"
	AFTERVIEW_JOURNAL=$(abspath $(JOURNAL)) $(BIN)/python -m afterview_analysis.app notebooks --no-browser \
		--Voila.ip=127.0.0.1 --port=$(APP_PORT) $(APP_HIDE)

lint: setup
	$(BIN)/ruff check .

test: setup lint
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis screenshots .bench
