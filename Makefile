# The two set-up-and-run commands of the README:
#   make book   builds the website (quick profile, offline, CPU) into _build/html
#   make test   runs the test suite
# Both create or reuse the virtual environment .venv and install what they need.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dlpbook-installed

.PHONY: book book-clean test clean benchmarks

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[keras,book,test]"
	touch $@

## Build the website; pages re-execute only when their code changed. Fails on any
## cell error, gallery error or Sphinx warning.
book: $(STAMP)
	$(BIN)/jupyter-book build -W -n --keep-going .

## Build the website from a clean tree (what CI runs).
book-clean: $(STAMP)
	$(BIN)/jupyter-book clean --all .
	rm -rf book/auto_examples
	$(BIN)/jupyter-book build -W -n --keep-going .

test: $(STAMP)
	$(BIN)/python -m pytest

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/build_times.py

clean:
	rm -rf _build book/auto_examples
