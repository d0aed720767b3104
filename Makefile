# Fangfei: `make run` serves the site with demo content, a Celery worker and beat;
# `make test` runs every test tier whose services are present; `make bench` measures.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install clean messages

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
	$(BIN)/python -m bench.peak
	$(BIN)/python -m bench.sms
	$(BIN)/python -m bench.field
	$(BIN)/python -m bench.redflags
	$(BIN)/python -m bench.firms

# The project's own translations (locale/): compiled with polib, so no gettext tools are needed.
messages: $(STAMP)
	$(BIN)/python -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-2] + 'mo') for p in glob.glob('locale/*/LC_MESSAGES/*.po')]"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var static_collected
