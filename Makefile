# The entry points a person types. Everything installs into .venv inside the checkout.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
SIZES ?= 1000 10000 100000

.PHONY: install tools demo serve test test-postgres lint format lock bench bench-comments bench-search bench-instructions bench-federation clean messages bench-live bench-subscriptions bench-import bench-instructions-cached bench-counting bench-cluster bench-scale bench-spike bench-spike-parts

$(STAMP): requirements/dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) tools

# Test-only tools from npm (the Nu HTML Checker). Without npm their tests are skipped, so a
# machine with only python3 and make can still run `make demo` and `make test`.
tools:
	@if command -v npm >/dev/null; then \
	  test node_modules/.package-lock.json -nt package-lock.json || \
	    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the Nu HTML Checker tests will be skipped"; fi

demo: $(STAMP)
	$(BIN)/dragoman demo --host $(HOST) --port $(PORT)

serve: $(STAMP)
	$(BIN)/dragoman serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check dragoman tests bench
	$(BIN)/ruff format --check dragoman tests bench
	$(BIN)/mypy dragoman

format: $(STAMP)
	$(BIN)/ruff format dragoman tests bench
	$(BIN)/ruff check --fix dragoman tests bench

# Tests run in parallel in PYTEST_WORKERS processes (pytest-xdist; auto: one per CPU, and
# PYTEST_WORKERS=0 runs them in this process, e.g. for --pdb).
PYTEST_WORKERS ?= auto
test: lint tools
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The same suite against PostgreSQL (a server on 127.0.0.1:5432 with trust auth). Each run
# gets its own database name (pytest-django adds test_ and drops it afterwards), so a run
# never trips over another one's test database, running or left behind.
PG_URL ?= postgres://postgres@127.0.0.1:5432
test-postgres: $(STAMP) tools
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)/dragoman_$$$$} $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lock:
	$(BIN)/pip install --quiet uv
	cd requirements && ../$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes base.in -o base.lock
	cd requirements && ../$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes dev.in -o dev.lock

# Collect the interface's strings into the catalogues, then compile them (needs GNU gettext).
# Translate every new msgid in dragoman/locale/*/LC_MESSAGES/django.po; commit .po and .mo.
messages: $(STAMP)
	cd dragoman && ../$(BIN)/django-admin makemessages -l fr -l es -l ar -l fa -l ru --no-obsolete --ignore="*/migrations/*"
	cd dragoman && ../$(BIN)/django-admin compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/python -m bench.run --sizes $(SIZES)

# 50 concurrent commenters for 30 s against `dragoman serve` on SQLite, then a SIGKILL mid-load.
bench-comments: $(STAMP)
	$(BIN)/python -m bench.comments --clients 50 --seconds 20 --compare-synchronous

# A live question session: 5,000 readers on event streams against `dragoman serve` (memory,
# answer-to-receipt p50/p99, cached entry page rps as a share of nginx's); LIVE_BENCH_ARGS=
# "--readers 500 --entries 200" for a quicker run.
bench-live: $(STAMP)
	$(BIN)/python -m bench.live $(LIVE_BENCH_ARGS)

# Search latency (median, p95) of the engine and the whole page at each size on SQLite FTS5,
# seeded entries; SEARCH_BENCH_ARGS=--synthetic gives the quicker engine-only run.
# One entry to 10,000 followers on 200 loopback servers; the publish time with and without.
bench-federation: $(STAMP)
	$(BIN)/python -m bench.federation --followers 10000 --servers 200

bench-search: $(STAMP)
	$(BIN)/python -m bench.search --sizes $(SIZES) $(SEARCH_BENCH_ARGS)

# Email subscriptions: an entry to SUBSCRIBERS confirmed subscribers through a local SMTP sink
# (time to queue, messages per second, peak memory, the publish action with vs without).
SUBSCRIBERS ?= 100000
bench-subscriptions: $(STAMP)
	$(BIN)/python -m bench.subscriptions --subscribers $(SUBSCRIBERS) $(SUBSCRIPTIONS_BENCH_ARGS)

# Machine instructions per uncached render (valgrind): steady however busy or slow the machine.
# AGAINST=/path/to/another/checkout measures it side by side (git worktree add ... <commit>).
bench-instructions: $(STAMP)
	$(BIN)/python -m bench.instructions --sizes $(SIZES) --pages entry home tag "archive month" "network feed" $(if $(AGAINST),--against $(AGAINST))

# Scale up: a big network seeded by `dragoman seed` (its data folder and database) against 1,000
# entries on the same database: uncached renders side by side, search p95, publish to refresh.
# Seed one first: DATABASE_URL=... DRAGOMAN_DATA_DIR=... .venv/bin/dragoman seed --entries 1000000
SCALE_DATA_DIR ?= var/bench/scale
SCALE_DATABASE_URL ?=
# Then the spike: nginx's static rate, nginx serving page files, the app's cache hit (bench.spike).
bench-scale: $(STAMP)
	$(BIN)/python -m bench.scale --data-dir $(SCALE_DATA_DIR) --database-url "$(SCALE_DATABASE_URL)"
	$(BIN)/python -m bench.spike $(SPIKE_BENCH_ARGS)

# A spike without a CDN alone: nginx static, nginx page files, the app's cache hit.
bench-spike: $(STAMP)
	$(BIN)/python -m bench.spike $(SPIKE_BENCH_ARGS)
# Its two halves apart: nginx's page-file locations piece by piece, and granian's options with a
# minimal WSGI app as the bound of any app it serves.
bench-spike-parts: $(STAMP)
	$(BIN)/python -m bench.spike_nginx
	$(BIN)/python -m bench.spike_app

# A generated WordPress export (10,000 entries, 50,000 comments) imported: time and peak memory.
# IMPORT_BENCH_ARGS="--entries 1000 --comments 5000" for a quicker run.
bench-import: $(STAMP)
	$(BIN)/python -m bench.import_wxr $(IMPORT_BENCH_ARGS)
# The same count for page-cache hits (the WSGI fast path a traffic spike takes).
bench-instructions-cached: $(STAMP)
	$(BIN)/python -m bench.instructions --cached --sizes $(SIZES) --pages entry home $(if $(AGAINST),--against $(AGAINST))
# Instructions per page-cache hit (WSGI fast path) with the evaluation's counting off and on.
bench-counting: $(STAMP)
	$(BIN)/python -m bench.instructions --sizes $(firstword $(SIZES)) --pages entry --cached --counting

# The cluster on one machine (bench/cluster.py): PostgreSQL primary and streaming replica,
# Redis, three app servers behind nginx, two workers; wrk before and after SIGKILL of an app
# server, then of a worker (requests/s, errors, p50/p99), written under bench/results/.
bench-cluster: $(STAMP)
	$(BIN)/python -m bench.cluster $(CLUSTER_BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache node_modules test-output
