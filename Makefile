# `make` builds every deliverable; `make test` runs the suite; `make help` lists targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

# Theme files (specs/theme.yaml, specs/<stem>.theme.yaml) brand the specs beside them; they are not specs.
SPECS := $(filter-out specs/theme.yaml specs/%.theme.yaml,$(wildcard specs/*.yaml))
FORMATS := docx pdf xlsx
DELIVERABLES := $(foreach stem,$(basename $(notdir $(SPECS))),$(foreach fmt,$(FORMATS),output/$(stem).$(fmt)))
GENERATOR := pyproject.toml $(shell find generator -name '*.py')

.PHONY: all test validate clean help diff packets bench lock index

# Every spec is built even after one fails (make --keep-going below); the failures are listed at the
# end and the exit status is non-zero. FAILURES collects the specs whose build failed in this run.
FAILURES := output/.make-failures

all: | $(INSTALLED) ## build DOCX, PDF and XLSX for every specs/*.yaml into output/ (every spec, even after a bad one)
	@mkdir -p output && rm -f $(FAILURES)
	@status=0; $(MAKE) --no-print-directory --silent --keep-going $(DELIVERABLES) || status=$$?; \
	if [ -s $(FAILURES) ]; then echo "these specs failed to build:" >&2; sed 's/^/  /' $(FAILURES) >&2; fi; \
	rm -f $(FAILURES); exit $$status

help: ## list the targets
	@grep -E '^[a-z%./-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 24

# The exact versions of requirements.lock (runtime) and requirements-test.lock (adds the test tools):
# byte-identical output holds for one set of library versions. pyproject.toml keeps the ranges.
$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock -e .
	touch $@

$(TEST_INSTALLED): $(INSTALLED) requirements-test.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock -e '.[test]'
	touch $@

# Fresh installs of pyproject's ranges in a scratch venv, frozen: runtime first, then what the tests add.
lock: ## re-pin requirements.lock and requirements-test.lock to the newest versions pyproject.toml allows
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && pip="$$tmp/venv/bin/python -m pip --disable-pip-version-check" && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	$$pip install --quiet . && $$pip freeze --exclude-editable | grep -v '^generator\b' > "$$tmp/runtime" && \
	$$pip install --quiet '.[test]' && $$pip freeze --exclude-editable | grep -v '^generator\b' | grep -vxFf "$$tmp/runtime" > "$$tmp/test" && \
	{ echo "# Exact runtime versions; regenerate with make lock (pyproject.toml keeps the ranges)."; cat "$$tmp/runtime"; } > requirements.lock && \
	{ echo "# Exact test-tool versions on top of requirements.lock; regenerate with make lock."; echo "-r requirements.lock"; cat "$$tmp/test"; } > requirements-test.lock && \
	rm -rf build generator.egg-info

# One run writes all three formats of a spec; rebuilt when the spec, the generator, a theme file
# (specs/theme.yaml, specs/<stem>.theme.yaml) or a logo image beside them changes. --force:
# make has decided that an input changed, and the generator's own up-to-date check knows its
# version, not its source, so an edited generator would otherwise leave the old files in place.
output/%.docx output/%.pdf output/%.xlsx: specs/%.yaml $(GENERATOR) $(wildcard specs/*.theme.yaml specs/theme.yaml specs/*.png specs/*.jpg specs/*.jpeg) | $(INSTALLED)
	@$(PY) -m generator build $< -o output --force || { mkdir -p output; echo "$<" >> $(FAILURES); exit 1; }

validate: $(INSTALLED) ## check every spec without building
	$(PY) -m generator validate $(SPECS)

# Reports the measurements against the performance targets; it does not fail on a missed one.
bench: $(INSTALLED) ## time cold and warm builds, a 500-spec --jobs 2 batch, large-report memory, beside a plain build and pandoc; output/bench.json (QUICK=1: 50 specs)
	$(PY) benchmarks/bench.py $(if $(QUICK),--quick)

# The old spec is extracted from git into a temporary folder (same file name) and diffed with
# the working copy; SUMMARY=DIR also writes <stem>-changes.docx/.pdf/.xlsx there.
diff: $(INSTALLED) ## what changed: make diff SPEC=specs/89253.yaml REV=HEAD~1 [SUMMARY=output]
	@test -n "$(SPEC)" && test -n "$(REV)" || { echo "usage: make diff SPEC=specs/<name>.yaml REV=<git revision> [SUMMARY=DIR]" >&2; exit 2; }
	@git rev-parse --verify --quiet "$(REV)^{commit}" >/dev/null || { echo "error: REV=$(REV) is not a git revision" >&2; exit 2; }
	@git cat-file -e "$(REV):./$(SPEC)" 2>/dev/null || { echo "error: $(SPEC) is not in $(REV) (not yet committed there?); nothing to compare with" >&2; exit 2; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	git show "$(REV):./$(SPEC)" > "$$tmp/$(notdir $(SPEC))" && \
	$(PY) -m generator diff "$$tmp/$(notdir $(SPEC))" "$(SPEC)" --old-label "$(SPEC)@$(REV)" $(if $(SUMMARY),--summary "$(SUMMARY)")

# The full reports are made first, so every packet cites the SHA-256 of an up-to-date PDF.
packets: $(DELIVERABLES) ## per-payer correspondence packets (PDF, DOCX) of every spec into output/packets/
	@status=0; for spec in $(SPECS); do $(PY) -m generator packet "$$spec" -o output || status=1; done; exit $$status

# DIRS: the output folders to collect (one per shard, say); PORTFOLIO: .xlsx, .csv or .json.
index: $(INSTALLED) ## one portfolio of every report built: make index [DIRS="out/1 out/2"] [PORTFOLIO=output/portfolio.xlsx]
	$(PY) -m generator index $(or $(DIRS),output) -o $(or $(PORTFOLIO),output/portfolio.xlsx)

# One pytest-xdist worker per core; a worker that runs out of tests takes half of another's
# (worksteal), so no core idles at the end behind one long file. The workers share what they
# read back (tests/readback_cache.py); tests/conftest.py puts the longest files first.
test: $(TEST_INSTALLED) ## install the test tools and run the whole suite on every core
	$(PY) -m pytest -n auto --dist worksteal

clean: ## remove output/ (the virtual environment stays)
	rm -rf output
