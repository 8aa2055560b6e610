# municipia: `make demo` to try it, `make test` to check it. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := gettext chromium

.PHONY: demo test lint format messages lock system-packages browser-tools clean help openapi

help:
	@echo "make demo   set everything up and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test   set everything up and run the whole suite (lint included)"

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

# Debian packages the build needs: gettext compiles the catalogues, chromium runs
# the browser tests. Installed only when missing.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(STAMP) system-packages
	cd municipia && ../$(PY) ../manage.py compilemessages --verbosity 0

demo: $(STAMP) system-packages messages
	TASKS_BACKEND=database $(PY) manage.py migrate --noinput
	TASKS_BACKEND=database $(PY) manage.py load_demo
	@echo
	@echo "municipia demo on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@$(PY) manage.py demo_logins
	@echo "E-mails (sign-up verification, password reset) are printed on this console."
	@echo
	TASKS_BACKEND=database $(PY) manage.py db_worker & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	TASKS_BACKEND=database $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) system-packages node_modules/.installed messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the catalogues after changing interface strings.
makemessages: $(STAMP)
	cd municipia && ../$(PY) ../manage.py makemessages -l fr -l es -l de --no-obsolete --ignore "static/vendor/*"

# Regenerate the committed OpenAPI document after changing the API (a test fails
# until the document matches the code).
openapi: $(STAMP)
	$(PY) manage.py spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml

# Re-pin every transitive dependency after changing pyproject.toml.
lock:
	rm -rf /tmp/municipia-lock && $(PYTHON) -m venv /tmp/municipia-lock
	/tmp/municipia-lock/bin/pip install --quiet -e ".[dev]"
	/tmp/municipia-lock/bin/pip freeze --exclude-editable | sort > requirements.lock
	rm -rf /tmp/municipia-lock-semantic && $(PYTHON) -m venv /tmp/municipia-lock-semantic
	/tmp/municipia-lock-semantic/bin/pip install --quiet -c requirements.lock torch==2.13.0
	/tmp/municipia-lock-semantic/bin/pip install --quiet -c requirements.lock -e ".[semantic]"
	{ grep '^#' requirements-semantic.lock; \
	  /tmp/municipia-lock-semantic/bin/pip freeze --exclude-editable | sed 's/+cpu$$//' | sort \
	  | comm -23 - requirements.lock; } > requirements-semantic.lock.new
	mv requirements-semantic.lock.new requirements-semantic.lock

clean:
	rm -rf $(VENV) node_modules db.sqlite3 var
