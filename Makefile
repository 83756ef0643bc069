# The commands the README gives. `make run` and `make test` install what they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# `make run` is the zero-set-up demo: debug on, SQLite and in-process tasks unless the environment says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: install install-dev run test lint format migrations-check messages bench load clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end libraries come from the npm registry (package-lock.json) and are copied, never committed.
static/vendor/.copied: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	# axe-core: the page tests' accessibility check (contrast, labels); no page loads it.
	cp node_modules/axe-core/axe.min.js static/vendor/
	touch $@

compiled-messages: $(VENV)/.installed
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' -v 0

install: $(VENV)/.installed static/vendor/.copied compiled-messages

install-dev: $(VENV)/.installed-dev install

run: install
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v 0
	$(RUN_ENV) $(PY) manage.py seed_demo --serve $(HOST)
	$(RUN_ENV) $(PY) manage.py runserver $(HOST)

# The suite runs in TEST_WORKERS processes (pytest-xdist; core/tests/parallel.py keeps them apart); 0 runs it in one.
TEST_WORKERS ?= 2

test: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(MAKE) migrations-check
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

migrations-check: install-dev
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

lint: install-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Refresh the Vietnamese and English catalogues after changing translatable strings.
messages: install-dev
	DEBUG=1 $(PY) manage.py makemessages -l vi --ignore='.venv/*' --ignore='node_modules/*' --ignore='static/*' --no-obsolete

# The scale benchmark and the load test (README, Performance) run on PostgreSQL, in databases of their own
# (emr_bench_<N>, emr_bench_load) created and filled on first use; BENCH_DATABASE_URL names the server.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
BENCH_ENV := PYTHONWARNINGS="ignore:No directory at" DEBUG=0 SECRET_KEY=bench-only-not-a-secret STATIC_MANIFEST=0 SECURE_SSL_REDIRECT=0 \
	CELERY_BROKER_URL= DATABASE_URL=$(BENCH_DATABASE_URL)

$(VENV)/.installed-bench: requirements.txt requirements-bench.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench: install $(VENV)/.installed-bench
	$(BENCH_ENV) $(PY) manage.py bench --facilities 600,60000 --json bench-results.json

load: install $(VENV)/.installed-bench
	$(BENCH_ENV) $(PY) manage.py load_test --json bench-load.json

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .pytest_cache
