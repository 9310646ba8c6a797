# make run: create .venv, install, build data/, show two answers and serve it.   make test: the whole suite.
# make clients: the SPARQL clients the suite runs (Comunica, tests/clients); make test installs them when npm is there.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
STORE  ?= var/store
YASGUI_VERSION ?= 4.6.2
YASGUI_DIR = publisher/web/static/yasgui

CLIENTS = tests/clients
CLIENTS_STAMP = $(CLIENTS)/node_modules/.installed-stamp
NPM    := $(shell command -v npm 2>/dev/null)

.PHONY: install clients run test lint bench bench-web bench-queries yasgui clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# npm ci again only when the lock changed; node_modules is gitignored. Without npm, the Comunica
# tests skip (and fail under CI=true, where .ci/run installs node and npm first).
$(CLIENTS_STAMP): $(CLIENTS)/package.json $(CLIENTS)/package-lock.json
	cd $(CLIENTS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

clients: $(CLIENTS_STAMP)

run: install
	$(BIN)/publisher build data/ --full --store $(STORE)
	@echo; echo "Who spoke for LIRSA-CNAM?"
	$(BIN)/publisher query --store $(STORE) queries/speakers-of-institution.rq
	@echo; echo "Which institutions did the speakers of the Alain Burlaud portrait represent?"
	$(BIN)/publisher query --store $(STORE) queries/institutions-of-video.rq
	@echo; echo "Serving on http://127.0.0.1:5000/ (Ctrl-C stops)"
	$(BIN)/publisher serve --store $(STORE)

test: install $(if $(NPM),clients)
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

bench-queries: install  # raw pyoxigraph on disk and in memory; --server / --rdflib-endpoint add columns
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/query_bench.py

clean:
	rm -rf $(VENV) var build *.egg-info $(CLIENTS)/node_modules
