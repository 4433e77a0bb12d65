# The two commands of the README: `make run` and `make test`.
# Both create .venv and install the pinned requirements the first time.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup system run test e2e migrate worker beat check

# The Debian/Ubuntu packages of bin/system-packages.txt (WeasyPrint's Pango and HarfBuzz, Noto fonts,
# Chromium for the browser tests): installed with apt as root, otherwise the command to run is printed.
system:
	@PYTHON="$(PYTHON)" bash bin/check-system

$(STAMP): requirements.txt requirements-dev.txt requirements-frs.txt | system
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip wheel 'setuptools<80.9'
	$(BIN)/python -m pip install -q -r requirements.txt -r requirements-dev.txt  # what runs, and the test tools
	$(BIN)/python -m pip install -q --no-deps -r requirements-frs.txt
	$(BIN)/python -c "import face_recognition_models, dlib, django, celery" || (echo "install check failed" && exit 1)
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "Poshan portal: http://$(HOST):$(PORT)/   (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

e2e: setup  # only the browser tests (Debian's chromium); screenshots in artifacts/e2e/
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

worker: setup
	$(BIN)/celery -A poshan worker -Q default,frs,flagging,exports -l info

# One queue per worker, as docker-compose.yml runs them: make worker-frs, worker-flagging, worker-exports, worker-default
worker-%: setup
	$(BIN)/celery -A poshan worker -Q $* -n $*@%h --prefetch-multiplier 1 -l info

beat: setup
	$(BIN)/celery -A poshan beat -l info

check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
