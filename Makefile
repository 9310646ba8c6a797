# make run: create .venv, install, build data/, show two answers and serve it.
# make test: the whole suite on the embedded store, then the store, web, SPARQL, OAI-PMH and reconciliation
# tests on an Oxigraph server and on Virtuoso (make test-backends; the tests start both on 127.0.0.1).
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

.PHONY: install clients run test test-backends test-oxigraph test-virtuoso lint bench bench-web bench-queries bench-remote bench-remote-web yasgui clean

# The modules that run again on each remote store (PUBLISHER_TEST_STORE); tests about the embedded
# store's own layout are marked embedded_only there.
BACKEND_TESTS = tests/test_remote_store.py tests/test_build.py tests/test_publish_dumps.py tests/test_dumps.py \
	tests/test_queries.py tests/test_pages.py tests/test_negotiation.py tests/test_http.py tests/test_dataset_web.py \
	tests/test_representation_cache.py tests/test_serve.py tests/test_changes.py tests/test_api.py \
	tests/test_sparql_protocol.py tests/test_sparql_limits.py tests/test_sparql_clients.py tests/test_query_ui.py \
	tests/test_oai.py tests/test_oai_harvest.py tests/test_reconcile.py \
	tests/test_stateless.py tests/test_store_down.py tests/test_sparql_dataset.py tests/test_pointer_interval.py \
	tests/test_virtuoso_bulk.py

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
	$(MAKE) test-backends

# The two stores' runs go side by side (each is one pytest process, much of it waiting on a server);
# --output-sync keeps each run's report in one piece.
test-backends: install
	$(MAKE) -j2 --output-sync=target test-oxigraph test-virtuoso

test-oxigraph test-virtuoso: test-%:
	PUBLISHER_TEST_STORE=$* $(BIN)/pytest -q $(BACKEND_TESTS)

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

bench-remote: install  # 100k videos to Virtuoso beside the embedded store (virtuoso-opensource installed)
	$(BIN)/python benchmarks/remote_bench.py --videos 100000 --questions --tune

bench-remote-web: install  # 2 web processes on Virtuoso beside the embedded store: dereference and questions over HTTP
	$(BIN)/python benchmarks/remote_web_bench.py --videos 100000

clean:
	rm -rf $(VENV) var build *.egg-info $(CLIENTS)/node_modules
