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

.PHONY: all test validate clean help diff packets bench

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

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TEST_INSTALLED): $(INSTALLED)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# One run writes all three formats of a spec; rebuilt when the spec, the generator, a theme file
# (specs/theme.yaml, specs/<stem>.theme.yaml) or a logo image beside them changes. --force:
# make has decided that an input changed, and the generator's own up-to-date check knows its
# version, not its source, so an edited generator would otherwise leave the old files in place.
output/%.docx output/%.pdf output/%.xlsx: specs/%.yaml $(GENERATOR) $(wildcard specs/*.theme.yaml specs/theme.yaml specs/*.png specs/*.jpg specs/*.jpeg) | $(INSTALLED)
	@$(PY) -m generator build $< -o output --force || { mkdir -p output; echo "$<" >> $(FAILURES); exit 1; }

validate: $(INSTALLED) ## check every spec without building
	$(PY) -m generator validate $(SPECS)

# Reports the measurements against the performance targets; it does not fail on a missed one.
bench: $(INSTALLED) ## time cold builds, warm renders and a 500-spec --jobs 2 batch into output/bench.json (QUICK=1: 50 specs)
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

test: $(TEST_INSTALLED) ## install the test tools and run the whole suite
	$(PY) -m pytest

clean: ## remove output/ (the virtual environment stays)
	rm -rf output
