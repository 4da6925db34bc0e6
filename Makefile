# The two commands of the README: `make run` (the embedded default) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := shared services/identity services/filing services/review services/reporting services/notify services/portal services/gateway
STAMP := $(VENV)/.installed

.PHONY: run install test test-unit test-integration test-e2e test-deploy test-browser test-containers images lint bench clean manual-screenshots

$(STAMP): $(foreach p,$(PACKAGES),$(p)/pyproject.toml) requirements-test.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet $(foreach p,$(PACKAGES),-e $(p)) -r requirements-test.txt
	touch $(STAMP)

install: $(STAMP)

## The whole platform in one process: SQLite under var/, in-process bus, mail into var/mail/.
run: $(STAMP)
	$(BIN)/python -m gateway embedded

## The whole suite: lint, then every layer but the containers (tests/<layer>, marked <layer>).
test: $(STAMP) lint
	$(BIN)/python -m pytest tests -q

## One layer each: its folder, tests/<layer>/, whose tests all carry the marker <layer>.
test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit -q -m unit

test-integration: $(STAMP)
	$(BIN)/python -m pytest tests/integration -q -m integration

test-e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e -q -m e2e

test-deploy: $(STAMP)
	$(BIN)/python -m pytest tests/deploy -q -m deploy

test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser -q -m browser

## The operation manual's screenshots (services/portal/portal/static/manual/), from the browser tests: commit them.
manual-screenshots: $(STAMP)
	$(BIN)/python -m tests.browser.manual_screenshots

## The images built and run (root, Debian's docker.io; dockerd started if none runs): not in `test`.
test-containers: $(STAMP)
	bash tests/containers/engine.sh
	$(BIN)/python -m pytest tests/containers -q -m containers

## The seven images, patent-platform/<image>:local, from deploy/images/Dockerfile (needs a running Docker engine).
images:
	deploy/images/build.sh

## ruff, then the import contracts (pyproject.toml's [tool.importlinter]), then mypy --strict over every package.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

## The chaos test at scale: 10,000 products through kills and broker restarts (the suite runs 120).
chaos: $(STAMP)
	CHAOS_PRODUCTS=$${CHAOS_PRODUCTS:-10000} $(BIN)/python -m pytest tests/e2e/test_chaos_end_to_end.py -q -s

bench: $(STAMP)
	$(BIN)/python bench/bus.py
	$(BIN)/python bench/reporting.py

clean:
	rm -rf $(VENV) var .pytest_cache
