# make run: create .venv, install, build data/, show two answers and serve it.   make test: the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
STORE  ?= var/store

.PHONY: install run test lint bench bench-web bench-queries clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/publisher build data/ --full --store $(STORE)
	@echo; echo "Who spoke for LIRSA-CNAM?"
	$(BIN)/publisher query --store $(STORE) queries/speakers-of-institution.rq
	@echo; echo "Which institutions did the speakers of the Alain Burlaud portrait represent?"
	$(BIN)/publisher query --store $(STORE) queries/institutions-of-video.rq
	@echo; echo "Serving on http://127.0.0.1:5000/ (Ctrl-C stops)"
	$(BIN)/publisher serve --store $(STORE)

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check publisher tests benchmarks
	$(BIN)/mypy publisher

bench: install
	$(BIN)/python benchmarks/build_bench.py

bench-web: install  # needs wrk (Debian: apt-get install -y wrk)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/web_bench.py

bench-queries: install  # raw pyoxigraph on disk and in memory; --server / --rdflib-endpoint add columns
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/query_bench.py

clean:
	rm -rf $(VENV) var build *.egg-info
