# Two commands for a new user: `make site` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site build check test serve bench translations clean

site: $(STAMP) build
	@echo
	@echo "The catalogue is in output/. Preview it with:  make serve   then open http://localhost:8000/"

build: $(STAMP)
	$(BIN)/ocop build

check: $(STAMP)
	$(BIN)/ocop check

test: $(STAMP)
	tools/install-system-deps.sh
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(BIN)/ocop serve

bench: $(STAMP)
	$(BIN)/python bench/bench.py $(if $(N),--products $(N))

# Re-extract theme strings after editing templates, then translate the new ones in the .po file.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o theme/translations/messages.pot --no-location --omit-header -k N_ .
	$(BIN)/pybabel update -i theme/translations/messages.pot -d theme/translations -l vi --no-fuzzy-matching --omit-header

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

clean:
	rm -rf output .output.* .cache
