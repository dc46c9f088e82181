# hcpvnd — the two commands users need: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint lab sample templates bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/hcpvnd demo

test: $(STAMP)
	$(BIN)/python -m pytest -q --nbval-lax tests notebooks

lint: $(STAMP)
	$(BIN)/ruff check hcpvnd_utils tests benchmarks scripts

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	cd notebooks && ../$(BIN)/jupyter lab

sample: $(STAMP)
	$(BIN)/python scripts/make_sample.py
	$(BIN)/python scripts/make_sample.py --units inputs/gia-lai-2025/units.yaml --end 2025-09-30

templates: $(STAMP)
	$(BIN)/python scripts/build_templates.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_letters.py

clean:
	rm -rf outputs/*/ outputs/ledger.sqlite*
