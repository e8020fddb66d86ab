# Ansatte: `make run` to try it, `make test` to check it. `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

# PostgreSQL: the running app is the application role, migrations the owner (issue #13, docs/security.md).
# Given only DATABASE_URL (the owner, e.g. postgres@), it becomes DATABASE_OWNER_URL and the app uses ansatte_app
# (`override`: also when DATABASE_URL=... is given on make's command line). `migrate` creates the role.
ifneq ($(filter postgres%,$(DATABASE_URL)),)
ifeq ($(DATABASE_OWNER_URL),)
override DATABASE_OWNER_URL := $(DATABASE_URL)
override DATABASE_URL := $(shell echo '$(DATABASE_URL)' | sed -E 's#^(postgres(ql)?://)[^@/]*@#\1ansatte_app@#')
export DATABASE_OWNER_URL DATABASE_URL
endif
endif

.DEFAULT_GOAL := help
.PHONY: help install translations migrate seed run worker test test-fast lint format check rehearsal bench lock clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt ".[dev]"
	rm -rf build *.egg-info
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies
	@mkdir -p var

translations: install ## Compile locale/*.po to .mo (polib, no gettext needed)
	$(BIN)/python scripts/compile_translations.py

migrate: install ## Apply database migrations (PostgreSQL: as the owner, then the app role's grants)
	$(BIN)/python manage.py migrate --noinput

seed: migrate ## Seed demo content (idempotent)
	$(BIN)/python manage.py seed_demo

run: translations seed ## Install, migrate, seed and serve on http://127.0.0.1:8000
	@echo ""
	@echo "  Two origins, one server (the portal never shares an origin with the public site's scripts):"
	@echo "  Public site:   http://127.0.0.1:$(PORT)/da/  and  http://127.0.0.1:$(PORT)/en/"
	@echo "  HR portal:     http://localhost:$(PORT)/portal/"
	@echo "  Wagtail admin: http://localhost:$(PORT)/admin/  (log in through the portal, with two factors)"
	@echo "  Background jobs (exports, deletions, retention sweeps) run in a worker started alongside."
	@echo ""
	@$(BIN)/python manage.py db_worker --backend jobs --queue-name '*' --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: migrate ## Run the background job worker alone (what production runs as a service)
	$(BIN)/python manage.py db_worker --backend jobs --queue-name '*'

test: translations ## Run the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	@rc=0; $(BIN)/pytest -n $(PYTEST_WORKERS) --create-db || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating as a failure"; exit 1; fi; exit $$rc

test-fast: translations ## Run the suite without the browser tests
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not e2e"

lint: install ## ruff lint and format check, import boundaries (import-linter), templates (djlint)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/djlint templates --lint

format: install ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django system checks and missing migrations
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

rehearsal: install ## Production rehearsal: the shipped stack (nginx, cache, 2 app servers, worker, S3, clamd) checked over HTTPS
	bash scripts/rehearsal.sh

bench: translations ## Benchmarks (see docs/performance.md); set DATABASE_URL for PostgreSQL numbers (cache, public: wrk, rehearsal stack)
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.documents
	$(BIN)/python -m benchmarks.jobs
	$(BIN)/python -m benchmarks.rowsecurity
	$(BIN)/python -m benchmarks.cache
	$(BIN)/python -m benchmarks.public

lock: ## Re-pin requirements/constraints.txt from a fresh resolve
	rm -rf /tmp/ansatte-lock && $(PYTHON) -m venv /tmp/ansatte-lock
	/tmp/ansatte-lock/bin/pip install --quiet ".[dev]"
	(echo "# Pinned versions for reproducible installs: make uses this as a pip constraints file."; \
	 echo "# Regenerate with: make lock"; /tmp/ansatte-lock/bin/pip freeze | grep -v '^ansatte') > requirements/constraints.txt

clean: ## Remove the virtualenv and local build products (keeps your database)
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
