# Two commands for a fresh machine (see README):
#   make book   build the book into _build/html (sets up .venv first)
#   make test   set up, rebuild every chapter from scratch, run every test
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
JB := $(VENV)/bin/jupyter-book
# Strict: any Sphinx warning, broken reference or failing cell fails the build.
BUILD_FLAGS := -W -n --keep-going

# pip at ERROR level: the install is not the build; a machine's own pip settings (an extra
# index folder that does not exist, say) would otherwise fill the log with its warnings.
PIP_QUIET := --quiet --quiet --disable-pip-version-check

AXE := tools/axe/node_modules/axe-core/axe.min.js
VNU := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar
LIGHTHOUSE := tools/lighthouse/node_modules/lighthouse/package.json

.PHONY: book test rebuild browser lock benchmark audit mutation clean data-manifest pdf changelog lab publish scenario property-scenarios

# uv installs the pinned packages, compiled (a minute and a half with pip here, 17 s with uv: the
# bytecode matters, as this machine sets PYTHONDONTWRITEBYTECODE); pip itself
# installs uv and the book's own package in place.
UV_VERSION := 0.13.9
$(STAMP): requirements.txt requirements-lock.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements.txt \
	  -c requirements-lock.txt
	$(PY) -m pip install $(PIP_QUIET) --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The build's output is also kept in _build/build.log (the tests check it has no warning).
book: $(STAMP)
	mkdir -p _build
	$(JB) build $(BUILD_FLAGS) . 2>&1 | tee _build/build.log \
	  || { $(PY) tools/explain_failure.py _build/build.log; exit 1; }

# Re-executes every chapter from a clean _build (no stale results can survive).
rebuild: $(STAMP)
	rm -rf _build
	mkdir -p _build
	$(JB) build --all $(BUILD_FLAGS) . 2>&1 | tee _build/build.log \
	  || { $(PY) tools/explain_failure.py _build/build.log; exit 1; }

browser:
	tools/ensure_test_tools.sh

# axe-core (npm registry, pinned by tools/axe/package-lock.json) for the accessibility test.
$(AXE): tools/axe/package.json tools/axe/package-lock.json
	cd tools/axe && npm ci --no-audit --no-fund --silent
	touch $(AXE)

# The Nu Html Checker (npm registry, pinned by tools/vnu/package-lock.json) for the valid-HTML test.
$(VNU): tools/vnu/package.json tools/vnu/package-lock.json
	cd tools/vnu && npm ci --no-audit --no-fund --silent
	touch $(VNU)

# Google Lighthouse 12.2.3 (npm registry, pinned by tools/lighthouse/package-lock.json).
$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --no-audit --no-fund --silent
	touch $(LIGHTHOUSE)

# As many test workers as cores, a test file to a worker (a notebook's cells share one kernel;
# a file's tests share what they print or build once), slowest files first (tests/conftest.py).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: $(STAMP) browser $(AXE) $(VNU) $(LIGHTHOUSE) rebuild
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# JupyterLab on the chapters, in the book's environment (installed on first use; the book's build
# does not need it). Saving a chapter strips its outputs (tools/jupyter/jupyter_server_config.py).
LAB_STAMP := $(VENV)/.lab-installed
$(LAB_STAMP): $(STAMP) requirements-lab.txt
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements-lab.txt \
	  -c requirements-lock.txt
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	JUPYTER_CONFIG_DIR=$(CURDIR)/tools/jupyter $(VENV)/bin/jupyter lab \
	  --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/chapters $(LAB_ARGS)

# Mutation testing of the modules that carry the arithmetic and the rules (gpuecon/finance.py,
# gpuecon/claims.py; [tool.mutmut] in pyproject.toml) with their unit tests: mutmut, pinned,
# installed on first use. Prints the score; the record goes into tools/benchmark-record.json.
MUTATION_STAMP := $(VENV)/.mutation-installed
$(MUTATION_STAMP): $(STAMP) requirements-mutation.txt
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements-mutation.txt \
	  -c requirements-lock.txt
	touch $(MUTATION_STAMP)

mutation: $(MUTATION_STAMP)
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children $(TEST_WORKERS) > /dev/null || true
	$(PY) tools/mutation_record.py

# Regenerate the transitive pins after changing requirements.txt.
lock: $(STAMP)
	$(PY) -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^uv==' \
	  > requirements-lock.txt

# After a deliberate change to data/: re-record the checksums the tests verify.
data-manifest: $(STAMP)
	$(PY) tools/data_manifest.py

# PDF for memos: make pdf (whole book) or make pdf CHAPTER=payback; needs a built book.
pdf: $(STAMP) browser
	$(PY) tools/print_pdf.py $(if $(CHAPTER),--chapter $(CHAPTER))

# A scenario edition with a reader's assumptions: make scenario SCENARIO=scenarios/pessimistic_operator.csv
# builds into _build/scenarios/<name>/html (the book's own _build/html is left as it is). It
# compares itself with the published results, which it builds first if there are none. Its
# build first runs the chapters the scenario touches, in parallel (gpuecon.execution), reuses
# the others from the published build, then renders them all without executing.
SCENARIO_NAME = $(basename $(notdir $(SCENARIO)))
SCENARIO_DIR = $(CURDIR)/_build/scenarios/$(SCENARIO_NAME)
SCENARIO_ENV = GPUECON_ROOT=$(CURDIR) GPUECON_SCENARIO=$(abspath $(SCENARIO)) GPUECON_BUILD_DIR=$(SCENARIO_DIR)
scenario: $(STAMP)
	@test -n "$(SCENARIO)" || { echo "Give the scenario file: make scenario SCENARIO=path/to/file.csv"; exit 2; }
	@test -f _build/results/payback.json || { GPUECON_ROOT=$(CURDIR) $(PY) -m gpuecon.scenarios check $(SCENARIO) \
	  && $(MAKE) --no-print-directory book; }
	rm -rf $(SCENARIO_DIR)
	mkdir -p $(SCENARIO_DIR)
	$(SCENARIO_ENV) $(JB) build --all $(BUILD_FLAGS) --path-output $(SCENARIO_DIR)/sphinx . 2>&1 \
	  | tee $(SCENARIO_DIR)/build.log | grep -E "(^|: )(WARNING|ERROR)|^  (ran|reused) " || true
	@test -f $(SCENARIO_DIR)/sphinx/_build/html/index.html || { $(PY) tools/explain_failure.py $(SCENARIO_DIR)/build.log; exit 1; }
	mv $(SCENARIO_DIR)/sphinx/_build/html $(SCENARIO_DIR)/html
	@echo "Scenario edition: $(SCENARIO_DIR)/html/index.html"

# The publishable tree in public/: this version at public/v<version>/ (from CITATION.cff), the
# latest at public/latest/, versions.json, checksums; earlier versions in public/ are kept.
# The public address is _config.yml's gpuecon_base_url unless given: make publish BASE_URL=https://...
publish: rebuild
	$(PY) tools/publish.py --site _build/html --public public

# What moved between two builds: make changelog OLD=path/to/old/artifacts [NEW=...]
changelog: $(STAMP)
	$(PY) tools/values_changelog.py $(OLD) $(or $(NEW),_build/html/artifacts)

benchmark: $(STAMP)
	$(PY) tools/benchmark.py

# Lighthouse's four scores for every page, desktop and phone, served with gzip as a host would;
# the medians of AUDIT_RUNS (3) runs go into tools/benchmark-record.json.
audit: $(STAMP) browser $(LIGHTHOUSE) book
	$(PY) tools/audit.py

# The scenario property test with many more random scenarios than `make test` draws (200).
property-scenarios: $(STAMP)
	SCENARIO_EXAMPLES=$(or $(EXAMPLES),5000) $(PY) -m pytest -q tests/test_scenario_properties.py

clean:
	rm -rf _build
