# hcpvnd — the two commands users need: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PDF_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 poppler-utils

.PHONY: demo test lint lab sample templates bench clean pdf-tools

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	mkdir -p $(VENV)/etc/jupyter
	cp jupyter-config/jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json
	-git config filter.hcpvnd-notebook.clean 'if [ -x $(BIN)/python ]; then $(BIN)/python -m hcpvnd_utils.cli.strip_notebook; else cat; fi' 2>/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/hcpvnd demo

# The notebooks run with their default parameters; their outputs go to a temporary folder so
# that the tests never touch outputs/ (nor its ledger).
test: $(STAMP)
	HCPVND_OUTPUTS=$$(mktemp -d) $(BIN)/python -m pytest -q --nbval-lax tests notebooks

lint: $(STAMP)
	$(BIN)/ruff check hcpvnd_utils tests benchmarks scripts conftest.py
	$(BIN)/ruff format --check hcpvnd_utils tests benchmarks scripts conftest.py
	$(BIN)/lint-imports

# JupyterLab on the analyst's own copies of the notebooks, in outputs/so_tay/ (hcpvnd lab).
lab: $(STAMP)
	$(BIN)/hcpvnd lab

sample: $(STAMP)
	$(BIN)/python scripts/make_sample.py
	$(BIN)/python scripts/make_sample.py --units inputs/gia-lai-2025/units.yaml --end 2025-09-30
	$(BIN)/python scripts/make_narrative.py

templates: $(STAMP)
	$(BIN)/python scripts/build_templates.py

# Speed figures, printed, never asserted (a few minutes: bench_batch.py runs 135 units,
# bench_frames.py writes a 100,000-row year).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_letters.py
	$(BIN)/python benchmarks/bench_variants.py
	$(BIN)/python benchmarks/bench_big_export.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_frames.py
	$(BIN)/python benchmarks/bench_hostile.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_delivery.py

# PDF previews of reports (Debian/Ubuntu): LibreOffice (Writer; Calc for the delivery sheet's
# print test), Times-compatible fonts that cover Vietnamese (Liberation 2; version 1 lacks Ơ/Ư)
# and pdftotext.
pdf-tools:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES)

clean:
	rm -rf outputs/*/ outputs/ledger.sqlite*
