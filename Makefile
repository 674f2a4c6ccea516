# quotetrail: `make demo` runs the pipeline on the bundled corpus, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint pytest schema bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/quotetrail run corpus/ -o out/

test: $(STAMP) lint pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline schemas tests scripts
	$(BIN)/mypy pipeline schemas
	$(BIN)/quotetrail schema --check

# pytest exits 5 when it collected no test: that is a failure here, not a pass.
pytest: $(STAMP)
	sh scripts/install_browser.sh
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

bench: $(STAMP)
	$(BIN)/python scripts/bench_strip.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
