# The two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-requirements
DEV_STAMP := $(VENV)/.dev-requirements
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

# Test processes: one per core by default (pytest-xdist; an idle worker takes tests queued for a busy
# one); WORKERS=0 runs everything in one process.
WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(WORKERS) --dist worksteal

.PHONY: help run test test-fast test-busy test-postgres lint mutate serve check-deploy load bench content screenshots clean

help: ## list every target
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(RUN_STAMP)

content: $(RUN_STAMP) ## migrate and load the content (idempotent)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_content

run: content ## set up, migrate, load the content and serve on http://127.0.0.1:PORT/ (PORT=8000)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(DEV_STAMP) ## ruff (lint and format) on the Python, djLint on the templates
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

test: lint ## set up, then the linters and the whole suite on SQLite, browser tests included
	$(PYTEST)

test-fast: $(DEV_STAMP) ## the inner loop: the suite without the browser and load tests
	$(PYTEST) -m "not browser and not load"

test-postgres: $(DEV_STAMP) ## the whole suite against PostgreSQL (POSTGRES_URL, the local server by default)
	DATABASE_URL=$(POSTGRES_URL) $(PYTEST)

# Mutation testing of the rule modules (configuration: [tool.mutmut] in pyproject.toml).
mutate: $(DEV_STAMP) ## mutation testing of the rule modules, with the score per module
	rm -rf mutants
	$(VENV)/bin/mutmut run
	$(PY) tests/mutation_report.py --fail-under 90

test-busy: $(DEV_STAMP) ## make test three times in a row with every core kept busy by CPU hogs
	bench/under_load.sh 3 test

screenshots: $(DEV_STAMP) ## regenerate docs/screenshots/ from the browser tests
	SRM_SCREENSHOTS=1 $(PYTEST) -m browser

serve: $(RUN_STAMP) ## production-style: gunicorn + whitenoise, debug off (needs DJANGO_SECRET_KEY)
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve needs DJANGO_SECRET_KEY (a long random string)"; exit 2; }
	DJANGO_DEBUG=0 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=0 $(PY) manage.py load_content
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput
	@# Gunicorn would otherwise take X-Forwarded-Proto from any local process; Django alone decides
	@# whether to trust it (DJANGO_TRUST_X_FORWARDED_PROTO).
	DJANGO_DEBUG=0 exec $(VENV)/bin/gunicorn srm_site.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $${WEB_CONCURRENCY:-$$($(PY) -c 'import os; print(2 * os.cpu_count() + 1)')} \
		--forwarded-allow-ips= --access-logfile -

# The environment's own production settings when it has them, with debug off and a throwaway key
# otherwise, so that CI checks the defaults a deployment starts from.
check-deploy: $(RUN_STAMP) ## Django's deployment checklist with production settings
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		$(PY) manage.py check --deploy --fail-level WARNING

# Needs the local PostgreSQL (user postgres); creates and drops its own database. See docs/load.md.
load: $(RUN_STAMP) ## simulated learners against two gunicorn servers on PostgreSQL (LOAD_ARGS=...)
	$(PY) bench/load.py $(LOAD_ARGS)

# SQLite in a temporary folder by default; BENCH_ARGS="--database-url postgres://.../srm_bench" for
# PostgreSQL, "--quick" for a smoke run. Rewrites its section of docs/benchmarks.md.
bench: $(RUN_STAMP) ## seed a large dataset and measure every learner page (docs/benchmarks.md)
	$(PY) bench/bench.py $(BENCH_ARGS)

clean: ## remove .venv and generated files
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache mutants
