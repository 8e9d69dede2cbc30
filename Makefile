# movierec: `make demo` runs the whole product on this machine; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install lock audit services db migrate milvus import demo serve test lint format bench bench-report stop clean

install: $(STAMP)

# Exactly the two locks, every file checked against its hashes (pip itself is pinned in
# the dev lock); then the project, which brings nothing the locks do not name.
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After pinning a new dependency in pyproject.toml and installing it into .venv: rewrite
# both locks, with hashes, from what is installed.
lock:
	$(PY) scripts/lock

# pip-audit on both locks; skipped, saying why, when the advisory service is out of reach.
audit: install
	$(PY) scripts/audit

services:
	scripts/services

db: install services
	$(PY) -m movierec_site.createdb

migrate: db
	$(PY) manage.py migrate --no-input

milvus: install
	scripts/milvus-lite start

import: migrate
	$(PY) manage.py import_movielens $(if $(MOVIELENS_DIR),--path "$(MOVIELENS_DIR)",--download)

demo: import milvus
	scripts/first-model
	scripts/demo

test: install services
	scripts/run-tests

lint: install
	scripts/lint

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Every benchmark in turn (import, training, feedback, Milvus, load; tens of minutes), then
# docs/BENCHMARKS.md. Needs the running stack (`make demo`) and MovieLens files in BENCH_DATA
# (default MOVIELENS_DIR, else /tmp/ml/ml-1m-u2999). bench-report: the report alone, from
# the results already in bench/out/.
bench: install milvus
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.report --run

bench-report: install
	$(PY) -m bench.report

stop:
	-scripts/demo-stop
	scripts/milvus-lite stop

clean: stop
	rm -rf $(VENV) var
