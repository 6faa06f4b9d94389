# Migration Data Academy: `make run` serves the app, `make test` runs the suite.
# Both set everything up themselves and can be run again at any time.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app app
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test bench setup system-check translations messages lint clean

run: setup
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) courses import
	$(FLASK) assessments import
	$(FLASK) seed-demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --timeout 120 --access-logfile - 'app:create_app()'

test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run.py

setup: $(STAMP) system-check translations

$(STAMP):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# WeasyPrint (PDF certificates and handouts) needs the Pango library.
system-check:
	@$(PY) -c "import weasyprint" 2>/dev/null || { \
	  echo ""; \
	  echo "WeasyPrint cannot load the Pango library it needs for PDFs."; \
	  echo "On Debian or Ubuntu install it with:  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"; \
	  echo ""; exit 1; }

translations:
	@$(VENV)/bin/pybabel compile -d app/translations >/dev/null 2>&1 || true

# Refresh the catalogues after changing user-facing strings.
messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
