"""hcpvnd: letters and reports for the model “Hành chính phục vụ người dân”.

The public surface, for notebooks and analysts (``import hcpvnd_utils as hc``), imported lazily
so that ``import hcpvnd_utils`` stays cheap for the per-unit notebook's kernel:

- units and periods: ``load_units(path)``, ``parse_period("2024-Q3")``
- a notebook's parameters: ``check_parameters(globals())`` (refuses a name papermill was given
  that the notebook does not declare, e.g. ``-p outptus X``)
- reading and checking: ``read_unit(inputs, unit)``, ``read_file(path)``,
  ``classify(records, period, settings)``, ``check(config, inputs, outputs, …)``
- letters: ``run_unit(unit, period, …)`` (one unit, one period, start to finish), and
  ``letters_from_notebook(…)`` (what the per-unit notebook calls)
- runs: ``run_unit_notebook(…)``, ``run_batch(period, …)``, ``run_period(period, …)`` (a batch
  then its reports)
- the report: ``run_report(period, unit=…)``, ``run_reports(period)``,
  ``report_from_notebook(…)``, ``new_narrative(period, unit)`` (the Word file the analyst
  writes in), and ``approve(period, unit, by)``
- the ledger: ``Ledger(path)``; the letters' delivery: ``import_sheets(files, …)`` (filled
  delivery sheets into the ledger, as ``hcpvnd delivery import``)
- the analyst's data: ``frames`` (``hc.frames.registrations(period)``, ``.letters``,
  ``.figures``: pandas DataFrames) and ``analysis`` (the analysis notebook's tables and charts)

The package, stage by stage (imports point down this list, never up): the shared base at the
top level (config, periods, records, errors, messages, layout, safeio, storage, runlock,
textnorm, wording, tables, sheets, pdf, rowsfile (every row a run read), letterfields and
variants: a letter's fields and the rules choosing its template); ``ingest`` (files → rows), ``validate`` (rows → one outcome
each), ``ledger`` (what was sent), ``delivery`` (the delivery sheet and its import, below
``letters``), ``letters`` (outcomes → letters; print files of several templates: combine,
stylemerge; the fields a template may use: catalogue), ``report`` (figures → document),
``review`` (draft → approved), ``runs`` (notebooks and their parameters, batches, JupyterLab's
copies and save hook: lab, switched on by the project's jupyter-config/), ``cli`` (the command,
and strip_notebook: git's clean filter for notebooks/);
beside them ``frames`` (summaries and ledger → DataFrames, below ``report``, which draws its
figures from them) and ``analysis`` (frames → the analysis notebook's tables and charts).
"""

from importlib import import_module

_PUBLIC = {
    "load_units": "config",
    "parse_period": "periods",
    "read_unit": "ingest.files",
    "read_file": "ingest.files",
    "classify": "validate.rules",
    "check": "validate.check",
    "run_unit": "letters.run",
    "letters_from_notebook": "letters.run",
    "check_parameters": "runs.parameters",
    "run_unit_notebook": "runs.notebook",
    "run_batch": "runs.batch",
    "run_period": "runs.period",
    "run_report": "review.drafting",
    "run_reports": "review.drafting",
    "report_from_notebook": "review.drafting",
    "approve": "review.approve",
    "new_narrative": "report.skeleton",
    "Ledger": "ledger.book",
    "import_sheets": "delivery.importer",
}
_MODULES = ("frames", "analysis")  # whole modules: they import pandas, so only when asked for
__all__ = [*_PUBLIC, *_MODULES]


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    if name in _MODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'hcpvnd_utils' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC, *_MODULES])
