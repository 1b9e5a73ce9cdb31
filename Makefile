# The set-up-and-run commands of the README:
#   make book          builds the website (quick profile, offline, CPU) into _build/html
#   make test          runs the test suite (the browser tests only when a built site exists)
#   make browser-test  checks the built site in headless Chromium
# Each creates or reuses the virtual environment .venv and installs what it needs.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.dlpbook-installed

# Pages (and gallery scripts) execute two at a time, each kernel on one thread: with their
# default threads two kernels fight over the two cores and the build gets slower, not faster
# (see benchmarks/RESULTS.md). Kernels and gallery workers inherit this environment.
JOBS       ?= 2
ONE_THREAD := OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
              TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1
# _ext holds the local extension that lets Sphinx read in parallel (see _config.yml).
SPHINX     := $(ONE_THREAD) PYTHONPATH="$(CURDIR)/_ext$${PYTHONPATH:+:$$PYTHONPATH}" \
              $(BIN)/sphinx-build -j $(JOBS) -W -n --keep-going -d _build/.doctrees

.PHONY: book book-clean test browser-test clean benchmarks

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[keras,book,test]"
	touch $@

## Build the website; pages re-execute only when their code changed. Fails on any
## cell error, gallery error or Sphinx warning. conf.py is written from _config.yml and
## _toc.yml on every build (it is not tracked), so the two cannot drift apart.
book: $(STAMP)
	$(BIN)/jupyter-book config sphinx . > /dev/null
	$(SPHINX) . _build/html

## Build the website from a clean tree (what CI runs).
book-clean: $(STAMP)
	rm -rf _build book/auto_examples
	$(MAKE) --no-print-directory book

test: $(STAMP)
	$(BIN)/python -m pytest

## The browser tests against _build/html (run `make book` first); unlike `make test`, a
## missing site, Chromium or chromedriver is an error here, not a skip.
browser-test: $(STAMP)
	DLPBOOK_BROWSER_TESTS=required $(BIN)/python -m pytest tests/browser

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/build_times.py

clean:
	rm -rf _build book/auto_examples conf.py
