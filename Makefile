# Two commands: `make run` serves the demo corpus, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus

# The UI's message catalogs: edited as .po, compiled to .mo as part of the build.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard searchapp/translations/*/LC_MESSAGES/messages.po))
# Besides gettext's own names, these mark translatable text in our code (see searchapp/messages.py).
KEYWORDS := -k ParamError -k Message -k N_

.PHONY: install run cluster test lint bench bench-names bench-extract bench-passages bench-clean loadtest screenshots messages clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

install: $(STAMP) $(CATALOGS)

# Re-extract the UI's strings and merge them into every catalog (then translate what is new).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(KEYWORDS) --project searchapp --no-location --sort-output -o searchapp/translations/messages.pot .
	$(BIN)/pybabel update -i searchapp/translations/messages.pot -d searchapp/translations --width 120 --ignore-obsolete

run: install
	$(BIN)/searchapp demo --bind 127.0.0.1:8000

# Several nodes on this machine: a throwaway PostgreSQL, two nodes and nginx on 127.0.0.1:8000
# (needs Debian's postgresql and nginx packages).
cluster: install
	$(BIN)/python -m searchapp.local_cluster --port 8000

test: install
	$(BIN)/ruff check searchapp tests bench
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check searchapp tests bench

bench: install
	$(BIN)/pip install --quiet tantivy==0.27.0  # the yardstick, a benchmark-only dependency
	$(BIN)/python bench/bench_search.py --corpus $(CORPUS)
	$(BIN)/python bench/bench_import.py --corpus $(CORPUS)
	$(BIN)/python bench/bench_big_upload.py --corpus $(CORPUS)
	$(BIN)/python bench/bench_cluster.py --corpus $(CORPUS)

bench-names: $(STAMP)
	$(BIN)/python bench/bench_names.py --corpus $(CORPUS)

# Passages on real text: needs bench-names's import (its default work directory).
bench-passages: $(STAMP)
	$(BIN)/python bench/bench_passages.py --workdir /tmp/searchapp-bench-names

bench-clean: $(STAMP)
	$(BIN)/python bench/bench_clean.py --corpus $(CORPUS)

bench-extract: $(STAMP)
	$(BIN)/python bench/bench_extract.py --corpus $(CORPUS)

loadtest: install
	$(BIN)/python bench/loadtest.py --workdir $(or $(LOADDIR),/tmp/searchapp-load) --seconds 60

screenshots: install
	$(BIN)/python bench/screenshots.py --out screenshots

clean:
	rm -rf $(VENV) index/* searchapp.db* *.egg-info $(CATALOGS)
