# make run: create .venv, install, build data/, show two answers and serve it.   make test: the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
STORE  ?= var/store
YASGUI_VERSION ?= 4.6.2
YASGUI_DIR = publisher/web/static/yasgui

.PHONY: install run test lint bench bench-web yasgui clean

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

yasgui:  # the query UI's two built files from npm (see publisher/web/static/yasgui/README.md)
	tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) >/dev/null && tar xzf *.tgz) \
	  && cp $$tmp/package/build/yasgui.min.js $$tmp/package/build/yasgui.min.css $(YASGUI_DIR)/; \
	  status=$$?; rm -rf $$tmp; exit $$status
	sha256sum $(YASGUI_DIR)/yasgui.min.js $(YASGUI_DIR)/yasgui.min.css

clean:
	rm -rf $(VENV) var build *.egg-info
