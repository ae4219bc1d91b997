# The two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-requirements
DEV_STAMP := $(VENV)/.dev-requirements
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres lint serve check-deploy load bench content clean help

help:
	@echo "make run            set up, migrate, load the content and serve on http://127.0.0.1:$(PORT)/"
	@echo "make test           set up, then ruff and the whole test suite (SQLite)"
	@echo "make test-postgres  the test suite against PostgreSQL ($(POSTGRES_URL))"
	@echo "make serve          production-style: gunicorn + whitenoise, debug off"
	@echo "make check-deploy   Django's deployment checklist (check --deploy) with production settings"
	@echo "make bench          seed a large dataset and measure every learner page against a floor view (docs/benchmarks.md)"
	@echo "make load           simulated learners against two gunicorn servers on PostgreSQL (LOAD_ARGS=..., REDIS_URL optional)"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(RUN_STAMP)

content: $(RUN_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_content

run: content
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest

test-postgres: $(DEV_STAMP)
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest

serve: $(RUN_STAMP)
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
check-deploy: $(RUN_STAMP)
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		$(PY) manage.py check --deploy --fail-level WARNING

# Needs the local PostgreSQL (user postgres); creates and drops its own database. See docs/load.md.
load: $(RUN_STAMP)
	$(PY) bench/load.py $(LOAD_ARGS)

# SQLite in a temporary folder by default; BENCH_ARGS="--database-url postgres://.../srm_bench" for
# PostgreSQL, "--quick" for a smoke run. Rewrites its section of docs/benchmarks.md.
bench: $(RUN_STAMP)
	$(PY) bench/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
