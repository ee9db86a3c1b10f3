# The entry points a person types. Everything installs into .venv inside the checkout.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
SIZES ?= 1000 10000 100000

.PHONY: install demo serve test test-postgres lint format lock bench clean messages

$(STAMP): requirements/dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

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

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

# The same suite against PostgreSQL (a server on 127.0.0.1:5432 with trust auth).
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dragoman} $(BIN)/pytest $(PYTEST_ARGS)

lock:
	$(BIN)/pip install --quiet uv
	cd requirements && ../$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes base.in -o base.lock
	cd requirements && ../$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes dev.in -o dev.lock

messages: $(STAMP)
	cd dragoman && ../$(BIN)/django-admin compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/python -m bench.run --sizes $(SIZES)

clean:
	rm -rf $(VENV) var .pytest_cache
