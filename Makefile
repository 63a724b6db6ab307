# Two commands: `make run` serves the demo corpus, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus

.PHONY: install run test lint bench bench-names bench-extract loadtest screenshots clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/searchapp demo --bind 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/ruff check searchapp tests bench
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check searchapp tests bench

bench: $(STAMP)
	$(BIN)/pip install --quiet tantivy==0.27.0  # the yardstick, a benchmark-only dependency
	$(BIN)/python bench/bench_search.py --corpus $(CORPUS)

bench-names: $(STAMP)
	$(BIN)/python bench/bench_names.py

bench-extract: $(STAMP)
	$(BIN)/python bench/bench_extract.py

loadtest: $(STAMP)
	$(BIN)/python bench/loadtest.py --workdir $(or $(LOADDIR),/tmp/searchapp-load) --seconds 60

screenshots: $(STAMP)
	$(BIN)/python bench/screenshots.py --out screenshots

clean:
	rm -rf $(VENV) index/* searchapp.db* *.egg-info
