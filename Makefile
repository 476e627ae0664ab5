# One entry point (DESIGN house rule 11). `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
ADMIN_EMAIL ?= admin@proximites.test
ADMIN_PASSWORD ?= proximites
CURATOR_EMAIL ?= curatrice@proximites.test
CURATOR_PASSWORD ?= quartiers-solidaires-2020

.PHONY: mutation run serve backup restore test install migrate demo lint format quality check-deploy bench lock clean

# Reproducible installs: the lock pins every package with its hashes (pip refuses a changed file);
# `-e .` cannot be hash-checked, so the project itself is installed afterwards, without dependencies.
$(STAMP): requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo_data
	$(PY) manage.py ensure_admin --email $(ADMIN_EMAIL) --password $(ADMIN_PASSWORD)
	$(PY) manage.py create_curator --email $(CURATOR_EMAIL) --centre reso-villes --password $(CURATOR_PASSWORD)

# The links made outside a request (e-mails, create_curator) point at the address served here;
# `make run SITE_URL=…` still wins (a command-line variable overrides this one).
run: export SITE_URL = http://$(HOST):$(PORT)
run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  Proximités : http://$(HOST):$(PORT)/"
	@echo "  Administration : http://$(HOST):$(PORT)/admin/  ($(ADMIN_EMAIL) / $(ADMIN_PASSWORD))"
	@echo "  Curatrice de RésO Villes : $(CURATOR_EMAIL) / $(CURATOR_PASSWORD)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production settings (DEBUG off, hashed static files served by whitenoise, gunicorn with
# gunicorn.conf.py) on this machine, over plain HTTP: only what http://127.0.0.1 needs is relaxed
# (no HTTPS redirect, no HSTS, cookies without the Secure flag, no proxy, no second factor), and a
# fresh secret is drawn at each start (sessions end with it). Serves the database DATABASE_URL points
# to (`make demo` fills it). Each can be overridden: `make serve PORT=8123 DJANGO_SECRET_KEY=…`.
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_SECRET_KEY ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))")
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SITE_URL ?= http://$(HOST):$(PORT)
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: export DJANGO_HSTS_SECONDS ?= 0
serve: export DJANGO_SECURE_COOKIES ?= 0
serve: export DJANGO_BEHIND_PROXY ?= 0
serve: export OTP_REQUIRED ?= 0
serve: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  Proximités (réglages de production, HTTP local) : http://$(HOST):$(PORT)/"
	@echo ""
	$(BIN)/gunicorn crpv_site.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT)

# Backups of the PostgreSQL database of DATABASE_URL (docs/operations.md, "Backups"); refused on SQLite.
# `make backup` writes backups/proximites-<base>-<UTC time>.dump (pg_dump -Fc); `make restore
# FILE=backups/….dump` replaces the database's content with it (pg_restore --clean), all or nothing.
BACKUP_DIR ?= backups
backup: install
	$(PY) manage.py backup_database --dir $(BACKUP_DIR)

restore: install
	@test -n "$(FILE)" || { echo "Indiquez la sauvegarde : make restore FILE=backups/….dump"; exit 2; }
	$(PY) manage.py restore_database "$(FILE)"

# Mutation testing of the core modules (tool.mutmut in pyproject.toml; not part of `make test`: long).
# `make mutation MUTANTS='initiatives.services*'` runs only those mutants; the score per module follows.
MUTANTS ?=
mutation: install
	$(BIN)/mutmut run $(MUTANTS)
	$(PY) tests/mutation_score.py

# pytest exits 5 when it collected no test: that is a failure here, like any other non-zero code.
# One worker per core (pytest-xdist; what runs where: tests/conftest.py, WholeModules);
# `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto
test: quality
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# Every static check of `make test`: lint and format (Python, templates), import contracts,
# migrations in step with the models, Django's deployment checklist.
quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/lint-imports --no-cache --no-logo
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-enough-secret-value-0123456789 \
	  DJANGO_ALLOWED_HOSTS=proximites.example.org SITE_URL=https://proximites.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

# Regenerate the hash-pinned locks from pyproject.toml (needs the package index).
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock"
lock: install
	$(UV_COMPILE) -o requirements/production.txt
	$(UV_COMPILE) --group dev -o requirements/dev.txt

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
