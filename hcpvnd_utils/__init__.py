"""hcpvnd: letters and reports for the model “Hành chính phục vụ người dân”.

The public surface, imported lazily so that ``import hcpvnd_utils`` stays cheap for the
per-unit notebook's kernel:

- ``load_units(path)``: the units file (config)
- ``parse_period(text)``: 2024-09, 2024-Q3, 2024, 2024-03-01..2024-05-31 (periods)
- ``read_unit(inputs, unit)``, ``read_file(path)``: register exports → rows (ingest)
- ``classify(records, period, settings)``: one outcome per row (validate)
- ``run_unit(unit, period, ...)``: one unit, one period, start to finish (run)
- ``run_batch(period, ...)``: every unit in parallel through the notebook (batch)
- ``run_report(period, ...)``, ``approve(period, unit, by)``: the report (reporting)
- ``Ledger(path)``: the record of registrations and letters (ledger)
"""

from importlib import import_module

_PUBLIC = {
    "load_units": "config",
    "parse_period": "periods",
    "read_unit": "ingest",
    "read_file": "ingest",
    "classify": "validate",
    "run_unit": "run",
    "run_batch": "batch",
    "run_report": "reporting",
    "approve": "reporting",
    "Ledger": "ledger",
}
__all__ = list(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module 'hcpvnd_utils' has no attribute {name!r}")
