# Synergy: `make run` serves the demo, `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := synergy.settings

.PHONY: run test bench audit install install-dev migrate seed messages messages-extract lint worker clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compiled catalogues are committed; recompile only when gettext is present.
messages:
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; \
	else echo "msgfmt not found: using the committed .mo files"; fi

# Extract strings: the project catalogue (synergy/, templates/) and one per app (its own locale/).
messages-extract: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=villages --ignore=community \
		--ignore=analytics --ignore=tests -v0
	for app in villages community analytics; do \
		(cd $$app && mkdir -p locale && ../$(PY) ../manage.py makemessages -l zh_Hans -v0); \
	done

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# The demo runs with DEBUG off (deploy/demo.env): a missing page shows the site's 404, not
# Django's debug page. The development secret key (.secret_key, made by `seed` on first run) signs it.
DEMO_ENV := set -a && . deploy/demo.env && set +a && \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}"

run: $(VENV)/.installed messages seed
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0
	@echo "Serving Synergy at http://127.0.0.1:$(PORT)/  (demo password: synergy-demo)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A synergy worker --beat --schedule=.celerybeat-schedule --loglevel=info --concurrency=2

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

# Uses PostgreSQL and Redis when they answer (scripts/services_env.py); CI=true requires them.
# pytest-xdist runs TEST_WORKERS processes (each its own test database and Redis db, see
# tests/conftest.py). --dist loadfile keeps each module on one worker, so a module that seeds the
# demo once (tests/seeding.py) seeds it once (xdist 3.8's xdist_group is ignored by pytest 9.2).
TEST_WORKERS ?= 2
test: $(VENV)/.installed-dev messages
	$(VENV)/bin/ruff check .
	$(PY) scripts/services_env.py > .services.env
	set -a && . ./.services.env && set +a && $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(VENV)/.installed-dev
	$(PY) scripts/services_env.py > .services.env
	set -a && . ./.services.env && set +a && $(PY) bench/run.py

# Known advisories for every installed package (pip-audit in its own venv, so it is not a dependency).
audit: $(VENV)/.installed-dev
	test -x .audit-venv/bin/pip-audit || ($(PYTHON) -m venv .audit-venv && .audit-venv/bin/pip install --quiet pip-audit)
	.audit-venv/bin/pip-audit --path $(VENV)/lib/python3.11/site-packages

clean:
	rm -rf $(VENV) .audit-venv staticfiles .pytest_cache .ruff_cache .services.env
