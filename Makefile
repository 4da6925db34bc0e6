# The two commands of the README: `make run` (the embedded default) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := shared services/identity services/filing services/review services/reporting services/notify services/portal services/gateway
STAMP := $(VENV)/.installed

.PHONY: run install test test-unit test-integration test-e2e test-containers images lint bench clean

$(STAMP): $(foreach p,$(PACKAGES),$(p)/pyproject.toml) requirements-test.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet $(foreach p,$(PACKAGES),-e $(p)) -r requirements-test.txt
	touch $(STAMP)

install: $(STAMP)

## The whole platform in one process: SQLite under var/, in-process bus, mail into var/mail/.
run: $(STAMP)
	$(BIN)/python -m gateway embedded

## The whole suite: lint, unit, integration (real RabbitMQ and PostgreSQL), end-to-end.
test: $(STAMP) lint
	$(BIN)/python -m pytest tests -q

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests -q -m unit

test-integration: $(STAMP)
	$(BIN)/python -m pytest tests -q -m integration

test-e2e: $(STAMP)
	$(BIN)/python -m pytest tests -q -m e2e

## The images built and run (root, Debian's docker.io; dockerd started if none runs): not in `test`.
test-containers: $(STAMP)
	bash tests/containers/engine.sh
	$(BIN)/python -m pytest tests/containers -q -m containers

## The six images, patent-platform/<service>:local (needs a running Docker engine).
images:
	deploy/images/build.sh

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/bus.py
	$(BIN)/python bench/reporting.py

clean:
	rm -rf $(VENV) var .pytest_cache
