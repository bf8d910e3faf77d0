# Colloquy: `make run` serves the demo conference, `make test` runs every check CI runs.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench loadtest browser-deps clean

# Development settings unless the environment says otherwise (README: Configuration).
export DEBUG ?= 1

$(PY):
	@python3 -c 'import sys; v = sys.version_info; ok = v >= (3, 12); \
	print("Using Python %d.%d.%d" % v[:3]) if ok else sys.exit( \
	"Colloquy needs Python 3.12 or newer; python3 here is %d.%d.%d." % v[:3])'
	python3 -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# `make run PORT=8001`, `make run HOST=0.0.0.0` (every interface; the visitors' host names
# then go in ALLOWED_HOSTS). Links in e-mails follow, unless SITE_URL is set.
HOST = 127.0.0.1
PORT = 8000

run: export SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

# Any manage.py command, with the development settings unless the environment says otherwise:
# make manage ARGS="changepassword farah-siddiqui"
.PHONY: manage
manage: $(STAMP)
	$(PY) manage.py $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint browser-deps
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Browser tests drive Debian's Chromium; install it when it is missing (root or sudo needed).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

bench: $(STAMP)
	$(PY) bench/run.py --million

# Concurrent posting under gunicorn, SQLite and PostgreSQL, a worker killed (README: Load test).
loadtest: $(STAMP)
	$(PY) bench/loadtest.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
