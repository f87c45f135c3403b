# Two commands for a fresh machine: `make demo` and `make test`. Both create .venv and install
# Securable into it first, with the exact versions in uv.lock; nothing else needs to be on the machine
# but Python 3.11+ (and apt-get for the system libraries, when they are missing).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
# uv installs from the lock file; it is itself pinned and installed from PyPI into its own small venv.
UV_VERSION := 0.13.8
UV_VENV    := .venv-uv
UV         := $(UV_VENV)/bin/uv
# Never let uv download an interpreter: the machine's Python is the one we test on.
export UV_PYTHON_DOWNLOADS := never
OUT    := out/demo
KEYS   := out/keys
PKGS   := out/packages
EXAMPLES := $(notdir $(patsubst %/,%,$(dir $(wildcard examples/*/securable.yaml))))
EVALUATE = $(BIN)/securable evaluate --requirements examples/agency/moderate-requirements.json \
	aerolume=$(PKGS)/federal-env-sensor northwind=$(PKGS)/agency-vendor-b \
	--key aerolume=$(KEYS)/public.pem --key northwind=$(KEYS)/northwind-public.pem

SYSLIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: install sysdeps chromium demo serve test lint typecheck unit web-pg fuzz hostile catalogs catalogs-check bench bench-web clean lock lock-upgrade

# PDF rendering (WeasyPrint) needs Pango and HarfBuzz from the system; install them when missing.
sysdeps:
	@if ldconfig -p | grep -q 'libpango-1.0.so.0' && ldconfig -p | grep -q 'libharfbuzz-subset.so.0' \
	  && ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && fc-list 2>/dev/null | grep -qi dejavu; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSLIBS); \
	elif command -v sudo >/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSLIBS); \
	else echo "please install: $(SYSLIBS)"; exit 1; fi

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	elif command -v sudo >/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else echo "please install: chromium"; exit 1; fi

$(UV):
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'

# --frozen: install exactly what uv.lock says, and fail rather than re-resolve if it is out of date.
$(STAMP): pyproject.toml uv.lock | sysdeps $(UV)
	$(UV) sync --frozen --extra dev --extra web --python $(PYTHON)
	touch $(STAMP)

# Re-resolve after editing pyproject.toml's dependencies, keeping every other pin where it is.
lock: $(UV)
	$(UV) lock --python $(PYTHON)

# Move every pin to the newest release the lower bounds allow, then run every check on the result.
lock-upgrade: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	$(MAKE) test

install: $(STAMP)

# The demo prints a few lines per step; what each command printed is in $(LOG)/ (one file per
# command), its outputs in $(OUT)/ and $(PKGS)/. A failing command shows its whole output and stops.
LOG := $(OUT)/log
# $(call run,LOG-NAME,COMMAND...): COMMAND's standard output and error go to $(LOG)/LOG-NAME.txt.
run = $(2) >$(LOG)/$(1).txt 2>&1 || { cat $(LOG)/$(1).txt; exit 1; }
S := $(BIN)/securable

demo: $(STAMP)
	@rm -rf $(LOG) && mkdir -p $(LOG)
	@echo "== 1. Catalogs: browse, search, export =="
	@$(call run,catalog-list,$(S) catalog list)
	@$(call run,catalog-show-8259A-SU.2,$(S) catalog show 8259A-SU.2)
	@$(call run,catalog-show-ac-2,$(S) catalog show ac-2)
	@$(call run,catalog-search,$(S) catalog search "remove all data" --limit 5)
	@$(call run,export-sp800-213a,$(S) catalog export sp800-213a --format oscal -o $(OUT)/sp800-213a.oscal.json)
	@$(call run,export-federal-profile,$(S) catalog export federal-profile-2020 --format oscal -o $(OUT)/federal-profile-2020.oscal.json)
	@$(call run,export-nistir-8259a,$(S) catalog export nistir-8259a --format oscal -o $(OUT)/nistir-8259a.profile.json)
	@$(call run,export-mapping,$(S) catalog export sp800-213a --format oscal-mapping --target sp800-53r5 -o $(OUT)/sp800-213a-to-sp800-53r5.mapping.json)
	@$(call run,export-csv,$(S) catalog export sp800-213a --format csv -o $(OUT)/sp800-213a.csv)
	@$(call run,export-markdown,$(S) catalog export federal-profile-2020 --format markdown -o $(OUT)/federal-profile-2020.md)
	@$(call run,oscal-validate,(for f in $(OUT)/*.json; do $(S) oscal validate $$f || exit 1; done))
	@echo "   catalogs listed, shown and searched: $(LOG)/catalog-*.txt"
	@sed 's/^/   /' $(LOG)/oscal-validate.txt
	@echo "   also $(OUT)/sp800-213a.csv and $(OUT)/federal-profile-2020.md"
	@echo "== 2. NISTIR 8259 answers and assessment of each example product =="
	@for x in $(EXAMPLES); do \
	  $(call run,questions-$$x,$(S) questions examples/$$x/securable.yaml --status open); \
	  $(call run,check-$$x,$(S) check examples/$$x/securable.yaml --fail-on none); \
	  $(call run,check-$$x-sarif,$(S) check examples/$$x/securable.yaml --format sarif -o $(OUT)/$$x.sarif --fail-on none); \
	  echo "   $$x: $$(tail -n 1 $(LOG)/questions-$$x.txt)"; \
	  echo "     $$(grep -m 1 '^findings:' $(LOG)/check-$$x.txt | tr -s ' ')"; \
	done
	@echo "   reports: $(LOG)/check-*.txt, open questions: $(LOG)/questions-*.txt, SARIF: $(OUT)/*.sarif"
	@echo "== 3. Agency side: device requirements of a MODERATE system =="
	@$(call run,requirements-markdown,$(S) requirements --baseline moderate --format markdown -o $(OUT)/moderate-requirements.md)
	@$(call run,requirements-oscal,$(S) requirements --baseline moderate --format oscal -o $(OUT)/moderate-requirements.profile.json)
	@$(call run,requirements-validate,$(S) oscal validate $(OUT)/moderate-requirements.profile.json)
	@echo "   $(OUT)/moderate-requirements.md (for people)"
	@sed 's/^/   /' $(LOG)/requirements-validate.txt
	@echo "== 4. Customer packages, signed and verified =="
	@test -f $(KEYS)/private.pem || $(call run,keygen,$(S) keygen --force $(KEYS)/private.pem $(KEYS)/public.pem)
	@for x in $(EXAMPLES); do \
	  $(call run,package-$$x,$(S) package examples/$$x/securable.yaml -o $(PKGS)/$$x --key $(KEYS)/private.pem); \
	  $(call run,verify-$$x,$(S) verify $(PKGS)/$$x --key $(KEYS)/public.pem); \
	  echo "   $$(head -n 1 $(LOG)/verify-$$x.txt)"; \
	  n=$$(grep -c 'warning:' $(LOG)/package-$$x.txt); \
	  test "$$n" = 0 || echo "     $$n warning(s) for the maker: $(LOG)/package-$$x.txt"; \
	done
	@echo "== 5. Agency side: two competing sensor vendors against the MODERATE requirements =="
	@test -f $(KEYS)/northwind-private.pem || $(call run,keygen-northwind,$(S) keygen --force $(KEYS)/northwind-private.pem $(KEYS)/northwind-public.pem)
	@$(call run,package-agency-vendor-b,$(S) package examples/agency/vendor-b/securable.yaml -o $(PKGS)/agency-vendor-b --key $(KEYS)/northwind-private.pem --no-pdf)
	@$(call run,evaluate-markdown,$(EVALUATE) --format markdown -o $(OUT)/evaluation.md)
	@$(call run,evaluate-html,$(EVALUATE) --format html -o $(OUT)/evaluation.html)
	@$(EVALUATE) >$(LOG)/evaluate.txt 2>&1 || test $$? -eq 1 || { cat $(LOG)/evaluate.txt; exit 1; }
	@head -n 12 $(LOG)/evaluate.txt | sed 's/^/   /'
	@echo "   the whole comparison: $(OUT)/evaluation.html, $(OUT)/evaluation.md, $(LOG)/evaluate.txt"
	@echo "== Done. Every command's output is in $(LOG)/; open these in a browser:"
	@echo "   $(OUT)/evaluation.html"
	@for x in $(EXAMPLES); do echo "   $(PKGS)/$$x/index.html"; done
	@echo "== 6. The workspace, with the example products and an agency =="
	@$(BIN)/python -m tools.demo_workspace --data out/demo-workspace

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

catalogs-check: $(STAMP)
	$(BIN)/python -m tools.catalogbuild --check

# Every test, the web tests on SQLite among them.
unit: $(STAMP) chromium
	$(BIN)/pytest -q -n auto

# Every command against generated hostile inputs (also part of `unit`); see README, Development.
hostile: $(STAMP)
	$(BIN)/pytest -q -n 2 tests/test_hostile_corpus.py

# The web tests again, on a throw-away PostgreSQL cluster (installed when missing, removed afterwards).
web-pg: $(STAMP)
	tools/pgtest.sh tests/web -n 2

test: lint typecheck catalogs-check unit web-pg

# The workspace on SQLite at http://127.0.0.1:8000/ (data in ./securable-workspace).
serve: $(STAMP)
	$(BIN)/securable serve

# Every property test (Hypothesis; tests/conftest.py marks them `fuzz`) with fresh random examples,
# SECURABLE_FUZZ_EXAMPLES per test (default 10000), and no per-test time limit.
fuzz: $(STAMP)
	$(BIN)/pytest -q -m fuzz --hypothesis-profile=fuzz --timeout=0 -p no:cacheprovider

catalogs: $(STAMP)
	$(BIN)/python -m tools.catalogbuild

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/oscal_validate.py
	$(BIN)/python bench/check_portfolio.py
	$(BIN)/python bench/package.py
	$(BIN)/python bench/profile_resolve.py

# The workspace on a seeded 50-organization data set: page timings on SQLite and PostgreSQL, then the
# load test (gunicorn on 127.0.0.1, 50 users and a CI token for 30 s). Several minutes.
bench-web: $(STAMP)
	$(BIN)/python bench/web_pages.py
	tools/pgtest.sh --run $(BIN)/python bench/web_pages.py
	$(BIN)/python bench/web_load.py

clean:
	rm -rf $(VENV) $(UV_VENV) out .pytest_cache .mypy_cache .ruff_cache
