# Two commands for a new user: `make site` and `make test`. Everything else is optional.
# The targets work on the site folder they run in (this project folder is one): `ocop` reads its pelicanconf.py.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml setup.py | cksum | cut -d' ' -f1)
TEST_STAMP := $(VENV)/.test-installed-$(shell cat requirements-test.txt | cksum | cut -d' ' -f1)
LINT_STAMP := $(VENV)/.lint-installed-$(shell cat requirements-lint.txt | cksum | cut -d' ' -f1)

.PHONY: site build check test lint serve bench translations schemas clean vendor bench-search bench-preview edit editor-screenshots

site: $(STAMP) build
	@echo
	@echo "The catalogue is in output/. Preview it with:  make serve   then open http://localhost:8000/"

build: $(STAMP)
	$(BIN)/ocop build

check: $(STAMP)
	$(BIN)/ocop check

# The tests run in random order (pytest-randomly prints the seed; `$(BIN)/python -m pytest --randomly-seed=N`
# repeats an order, `-p no:randomly` keeps the file order).
test: $(STAMP) $(TEST_STAMP)
	tools/install-system-deps.sh
	$(BIN)/python -m pytest -q

lint: $(STAMP) $(LINT_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@# No function harder to follow than radon's grade C (the developers' guide): D or worse is listed and fails.
	@out=$$($(BIN)/radon cc -s -n D ocop plugins); test -z "$$out" || { echo "$$out"; exit 1; }

serve: $(STAMP)
	$(BIN)/ocop serve

# The browser editor (docs/bien-tap.md): preview and Decap's local backend on 127.0.0.1 only; editor at /admin/.
EDITOR_STAMP := tools/editor/node_modules/.installed-$(shell cat tools/editor/package-lock.json | cksum | cut -d' ' -f1)
edit: $(STAMP) $(EDITOR_STAMP)
	$(BIN)/python -m ocop_editor.session $(if $(PORT),--port $(PORT))

$(EDITOR_STAMP): tools/editor/package-lock.json
	npm ci --prefix tools/editor --no-audit --no-fund
	touch $@

# Re-take the editor's screenshots (the browser tests) and copy them into docs/img/ for the staff guides.
editor-screenshots: $(STAMP) $(TEST_STAMP) $(EDITOR_STAMP)
	shots=$$(mktemp -d) && OCOP_EDITOR_SCREENSHOTS=$$shots $(BIN)/python -m pytest -q -p no:randomly \
		tests/test_editor_browser.py && mkdir -p docs/img && cp $$shots/*.png docs/img/ && rm -rf $$shots

# Staff tools (docs/huong-dan.md): `make new`, `make import FILE=quyet-dinh.xlsx [APPLY=1]`, `make report`.
.PHONY: new import report
new: $(STAMP)
	$(BIN)/ocop new

import: $(STAMP)
	@test -n "$(FILE)" || { echo "Cần tên tệp / a file is needed: make import FILE=quyet-dinh.xlsx"; exit 2; }
	$(BIN)/ocop import "$(FILE)" $(if $(APPLY),--apply)

report: $(STAMP)
	$(BIN)/ocop report $(if $(DAYS),--days $(DAYS)) $(if $(CSV),--csv)

# Our build (cold, nothing changed, after a decision) beside Hugo's on the same catalogue (bench/bench.py).
bench: $(STAMP)
	$(BIN)/pip install -q -r requirements-bench.txt
	$(BIN)/python bench/bench.py $(if $(N),--products $(N))

# How fast `make serve` shows an edit on the national-scale catalogue.
bench-preview: $(STAMP)
	$(BIN)/python bench/preview.py $(if $(N),--products $(N))

# Search at national scale: index size and bytes for a first query (bench/search_size.py, needs chromium).
bench-search: $(STAMP)
	$(BIN)/python bench/search_size.py $(if $(N),--products $(N)) $(if $(REPLICATE),--replicate $(REPLICATE))

# The built sample site read by its checkers: the W3C Nu HTML checker on every page, axe-core in Chromium on
# each page kind (tools/checks/check_outputs.py; the checkers are pinned in tools/checks/package-lock.json).
.PHONY: check-outputs lighthouse
check-outputs: $(STAMP) $(TEST_STAMP)
	tools/install-system-deps.sh
	$(BIN)/python tools/checks/check_outputs.py $(if $(SITE),--site $(SITE))

# Lighthouse, mobile preset, on five page kinds (a benchmark: scores vary with the machine; README "Quality").
lighthouse: $(STAMP) $(TEST_STAMP)
	tools/install-system-deps.sh
	$(BIN)/python tools/checks/lighthouse.py $(if $(SITE),--site $(SITE)) $(if $(RUNS),--runs $(RUNS))

# After editing a record schema in ocop/schemas/: the editors' copies in schema/ and docs/records.md.
schemas: $(STAMP)
	$(BIN)/python -m ocop.fields .

# Re-extract theme strings after editing templates, then translate the new ones in the .po file.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o ocop/locale/theme.pot --no-location --omit-header -k N_ .
	$(BIN)/pybabel update -D theme -i ocop/locale/theme.pot -d ocop/locale -l vi --no-fuzzy-matching --omit-header

# The pinned lock, then this checkout in editable mode (its build backend comes from the lock: no download).
$(STAMP): requirements.txt pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(TEST_STAMP): requirements-test.txt $(STAMP)
	$(PIP) -r requirements-test.txt
	rm -f $(VENV)/.test-installed-*
	touch $@

$(LINT_STAMP): requirements-lint.txt $(STAMP)
	$(PIP) -r requirements-lint.txt
	rm -f $(VENV)/.lint-installed-*
	touch $@

clean:
	rm -rf output .output.* .cache .preview build dist

# Re-copy the front-end libraries (Leaflet and its marker clusters, pinned in package.json/package-lock.json) into the
# theme. The copies are kept in the repository, so `make site` needs no npm.
vendor:
	npm ci --no-audit --no-fund
	rm -rf theme/static/vendor/leaflet
	mkdir -p theme/static/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images node_modules/leaflet/LICENSE theme/static/vendor/leaflet/
	rm -rf theme/static/vendor/leaflet.markercluster
	mkdir -p theme/static/vendor/leaflet.markercluster
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/MIT-LICENCE.txt theme/static/vendor/leaflet.markercluster/
