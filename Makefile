# Fangfei: `make run` serves the site with demo content, a Celery worker and beat;
# `make test` runs every test tier whose services are present; `make bench` measures.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py run_site

test: $(STAMP)
	$(BIN)/python -m tests.tiers

bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.quiz
	$(BIN)/python -m bench.sms
	$(BIN)/python -m bench.field
	$(BIN)/python -m bench.firms

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var static_collected
