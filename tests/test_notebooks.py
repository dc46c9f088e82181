"""The notebooks under notebooks/: committed clean, thin, documented parameters; and the per-unit
notebook run end to end on the shipped sample (from the top folder, from notebooks/ as JupyterLab
does, and in a batch)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import papermill
import pytest

from hcpvnd_utils import layout as paths
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.runs import notebook as nbrun

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
UNIT_NOTEBOOK = ROOT / "notebooks" / nbrun.NOTEBOOK_NAME
ANALYSIS_NOTEBOOK = ROOT / "notebooks" / "phan_tich.ipynb"
FORBIDDEN = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.For,
             ast.AsyncFor, ast.While, ast.Try, ast.With, ast.ListComp, ast.DictComp,
             ast.SetComp, ast.GeneratorExp)  # fmt: skip


def code_cells(path: Path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def parameters_cell(path: Path):
    tagged = [c for c in code_cells(path) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell must be tagged 'parameters'"
    return tagged[0]


def test_the_per_unit_notebook_is_there():
    assert UNIT_NOTEBOOK in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_or_execution_counts(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for number, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}, cell {number}: clear the outputs"
            assert cell.execution_count is None, f"{path.name}, cell {number}: execution count"
    assert "papermill" not in nb.metadata, f"{path.name}: an executed copy was committed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_with_a_vietnamese_note_on_what_it_does_and_how_to_run_it(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    assert "JupyterLab" in first.source and "papermill" in first.source
    assert "Cách chạy" in first.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_parameter_is_a_typed_scalar_with_a_comment(path):
    cell = parameters_cell(path)
    for line in cell.source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert "  # " in line, f"{path.name}: parameter line without a # comment: {line!r}"
            statement = ast.parse(line).body[0]
            assert isinstance(statement, ast.AnnAssign), f"{path.name}: give a type: {line!r}"
            assert isinstance(statement.value, ast.Constant), f"{path.name}: not a scalar: {line!r}"
    documented = papermill.inspect_notebook(str(path))
    assert documented and all(p["help"] for p in documented.values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_stay_thin(path):
    for cell in code_cells(path):
        tree = ast.parse(cell.source)
        found = [type(node).__name__ for node in ast.walk(tree) if isinstance(node, FORBIDDEN)]
        assert not found, f"{path.name}: {found} belongs in the package, not in a notebook"
        if "parameters" not in cell.metadata.get("tags", []):  # declarations, not logic
            assert len(tree.body) <= 6, f"{path.name}: a cell of {len(tree.body)} statements"


def test_the_per_unit_notebook_takes_the_parameters_the_runner_passes():
    documented = papermill.inspect_notebook(str(UNIT_NOTEBOOK))
    assert list(documented) == ["unit", "period", "inputs", "outputs", "ledger", "regenerate"]
    assert documented["regenerate"]["default"] == "False"
    # nobody's letters are made from defaults: a misspelt -p leaves one of these empty
    assert documented["unit"]["default"] == documented["period"]["default"] == '""'


def test_the_analysis_notebook_takes_a_period_units_and_the_folders():
    documented = papermill.inspect_notebook(str(ANALYSIS_NOTEBOOK))
    assert list(documented) == ["period", "units", "inputs", "outputs", "ledger"]
    assert documented["units"]["default"] == '""'


# --- end to end on the shipped sample -----------------------------------------------------------

SAMPLE_UNIT, SAMPLE_PERIOD = "phuoc-quang", "2024-09"


def sample_ready() -> bool:
    try:
        import hcpvnd_utils.letters.run  # noqa: F401
    except ImportError:
        return False
    return (ROOT / "inputs" / SAMPLE_UNIT).is_dir()


needs_sample = pytest.mark.skipif(not sample_ready(), reason="sample inputs or run.py missing")


def letter_files(folder: Path) -> list[Path]:
    return sorted((folder / "letters").rglob("*.docx"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("parameters", "shown"),
    [
        ({}, "Chưa chọn xã và kỳ"),  # the notebook as committed: nothing made, say what to do
        ({"unit": SAMPLE_UNIT, "perod": SAMPLE_PERIOD}, "[E-NB-12]"),  # a misspelt -p period
        ({"unit": SAMPLE_UNIT, "period": ""}, "[E-NB-11]"),
        ({"uint": SAMPLE_UNIT, "period": SAMPLE_PERIOD}, "[E-NB-12]"),
    ],
    ids=["defaults", "period misspelt", "period empty", "unit misspelt"],
)
def test_no_letter_is_made_from_parameters_nobody_gave(tmp_path, parameters, shown):
    outputs = tmp_path / "outputs"
    folder = tmp_path / "run"
    result = nbrun.execute_notebook(
        UNIT_NOTEBOOK, folder / "unit_letters.ipynb",
        {**parameters, "outputs": str(outputs), "ledger": str(outputs / "ledger.sqlite")},
        log_path=folder / "run.log", cwd=ROOT,
    )  # fmt: skip
    if shown == "[E-NB-12]":  # a name the notebook does not declare: refused before any kernel
        assert result.status == "failed" and result.message.startswith(shown), result.message
        assert not folder.exists() and not outputs.exists()  # nothing read, nothing written
        return
    text = json.dumps(
        nbformat.read(folder / "unit_letters.ipynb", as_version=4), ensure_ascii=False
    )
    if shown.startswith("[E-"):
        assert result.status == "failed" and result.message.startswith(shown), result.message
        assert "Traceback" not in text  # the clerk sees the message, not Python's traceback
    else:
        assert result.status == "ok", result.message
    assert shown in text
    assert not list(outputs.rglob("*.docx")) and not (outputs / "ledger.sqlite").exists()


@pytest.mark.slow
@needs_sample
@pytest.mark.parametrize("where", ["top folder", "notebooks folder"])
def test_the_per_unit_notebook_runs_from_the_top_and_from_notebooks(tmp_path, where):
    """From the top as papermill is run, and from notebooks/ as JupyterLab runs it. Only the
    outputs go to a temp folder."""
    outputs = tmp_path / "outputs"
    parameters = {"outputs": str(outputs), "ledger": str(outputs / "ledger.sqlite")}
    parameters.update(unit=SAMPLE_UNIT, period=SAMPLE_PERIOD)
    cwd = ROOT if where == "top folder" else ROOT / "notebooks"
    folder = tmp_path / "run"

    result = nbrun.execute_notebook(
        UNIT_NOTEBOOK,
        folder / "unit_letters.ipynb",
        parameters,
        log_path=folder / "run.log",
        cwd=cwd,  # no HCPVND_HOME: the package finds the checkout from the working directory
    )

    assert result.status == "ok", result.message
    unit_folder = outputs / SAMPLE_PERIOD / SAMPLE_UNIT
    summary = json.loads((unit_folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["unit"] == SAMPLE_UNIT
    assert len(letter_files(unit_folder)) == len(summary["letters"]) > 0
    nb = nbformat.read(folder / "unit_letters.ipynb", as_version=4)
    shown = [c for c in nb.cells if c.cell_type == "code" and c.source.endswith("_table()")]
    assert len(shown) == 4 and all(c.outputs for c in shown)


@pytest.mark.slow
@needs_sample
def test_a_batch_on_the_sample_month_makes_each_letter_once(tmp_path):
    from hcpvnd_utils.runs import batch

    outputs = tmp_path / "outputs"
    options = {
        "inputs": paths.inputs_dir(),
        "outputs": outputs,
        "ledger": outputs / "ledger.sqlite",
    }
    period = parse_period(SAMPLE_PERIOD)

    first = batch.run_batch(period, jobs=2, progress=None, **options)

    assert first.failed == [] and first.exit_code == 0 and first.ok
    period_folder = outputs / period.label
    record = json.loads((period_folder / "batch.json").read_text(encoding="utf-8"))
    assert record["counts"]["failed"] == 0
    made = {}
    for unit in first.ok:
        folder = period_folder / unit
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert (folder / "notebooks" / "unit_letters.ipynb").is_file()
        assert (folder / "rejected.xlsx").is_file()
        for letter in summary["letters"]:
            assert (folder / letter["file"]).is_file()
            assert letter["file"].startswith(f"letters/{letter['event']}/")
        made[unit] = letter_files(folder)
    assert sum(len(files) for files in made.values()) > 0
    entries = {e["unit"]: e for e in record["units"]}
    assert all(entries[u]["letters"] == len(made[u]) for u in first.ok)

    again = batch.run_batch(period, jobs=2, progress=None, **options)

    assert again.failed == []
    for unit in again.ok:
        summary = json.loads((period_folder / unit / "summary.json").read_text(encoding="utf-8"))
        assert summary["letters"] == []  # nothing made twice
        assert letter_files(period_folder / unit) == made.get(unit, [])


@pytest.mark.slow
@needs_sample
def test_the_analysis_notebook_shows_the_pilot_with_its_charts(tmp_path):
    """On a real pilot run: the executed copy goes under outputs/<period>/phan_tich/, every cell
    ran, the coverage table shows the dispatch's 54 births and the five charts are images."""
    from hcpvnd_utils.letters.run import run_unit
    from hcpvnd_utils.runs.analysis import run_analysis_notebook

    outputs = tmp_path / "outputs"
    pilot = parse_period("2024-03-01..2024-05-31")
    for unit in ("phuoc-quang", "phuoc-nghia"):
        run_unit(unit, pilot, outputs=outputs)

    execution, executed = run_analysis_notebook(
        pilot, inputs=paths.inputs_dir(), outputs=outputs, ledger=outputs / "ledger.sqlite"
    )

    assert execution.status == "ok", execution.message
    assert executed == outputs / pilot.label / "phan_tich" / "phan_tich.ipynb"
    nb = nbformat.read(executed, as_version=4)
    outputs_of = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs_of if o.output_type == "error"]
    images = [o for o in outputs_of if "image/png" in o.get("data", {})]
    assert len(images) == 5
    shown = "\n".join(o.get("data", {}).get("text/html", "") for o in outputs_of)
    assert "Tổng cộng" in shown and "<td>54</td>" in shown.replace(" ", "")
    assert "Không có ghi chú: số liệu đầy đủ." in shown


# --- a misspelt papermill parameter is refused, never run with the defaults ------------------

PAPERMILL = str(Path(__import__("sys").executable).with_name("papermill"))


def run_papermill(tmp_path, notebook: str, *options: str):
    """``papermill notebooks/<notebook> … -p …`` as the README shows it, from the top folder;
    the default outputs folder (where a run with the defaults writes) is a temporary one."""
    import os
    import subprocess

    default = tmp_path / "default_outputs"
    env = {**os.environ, "HCPVND_OUTPUTS": str(default), "HCPVND_HOME": str(ROOT)}
    executed = tmp_path / "so_tay" / notebook
    executed.parent.mkdir(mode=0o700)
    done = subprocess.run(
        [PAPERMILL, f"notebooks/{notebook}", str(executed), *options],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return done, default


@pytest.mark.slow
@pytest.mark.parametrize(
    ("notebook", "options", "name", "close"),
    [
        ("unit_letters.ipynb", ["-p", "outptus", "{wanted}"], "outptus", "outputs"),
        ("unit_letters.ipynb", ["-p", "regenrate", "true"], "regenrate", "regenerate"),
        ("unit_letters.ipynb", ["-p", "ledgr", "{wanted}/so.sqlite"], "ledgr", "ledger"),
        ("district_report.ipynb", ["-p", "unti", SAMPLE_UNIT], "unti", "unit"),
        ("phan_tich.ipynb", ["-p", "Units", SAMPLE_UNIT], "Units", "units"),
    ],
    ids=["outputs", "regenerate", "ledger", "report unit", "analysis units"],
)
def test_a_misspelt_papermill_parameter_is_refused_before_anything_is_made(
    tmp_path, notebook, options, name, close
):
    wanted = tmp_path / "wanted"
    options = [o.format(wanted=wanted) for o in options]
    if notebook == "unit_letters.ipynb":
        options = ["-p", "unit", SAMPLE_UNIT, "-p", "period", SAMPLE_PERIOD, *options]
    done, default = run_papermill(tmp_path, notebook, *options)
    assert done.returncode != 0
    shown = done.stdout + done.stderr
    assert f"[E-NB-12] Sổ tay này không có tham số “{name}”: có phải “{close}”?" in shown
    assert not default.exists() and not wanted.exists()  # nothing read from or written anywhere


@pytest.mark.slow
def test_papermill_with_the_right_names_still_runs(tmp_path):
    done, default = run_papermill(
        tmp_path, "unit_letters.ipynb", "-p", "unit", SAMPLE_UNIT, "-p", "period", SAMPLE_PERIOD
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert list((default / SAMPLE_PERIOD / SAMPLE_UNIT / "letters").rglob("*.docx"))


def test_a_run_of_ours_refuses_a_name_the_notebook_does_not_declare(tmp_path):
    """Before a kernel starts: nothing written, the message names the name and its close match."""
    folder = tmp_path / "run"
    result = nbrun.execute_notebook(
        ROOT / "notebooks" / "district_report.ipynb", folder / "bao_cao.ipynb",
        {"period": SAMPLE_PERIOD, "outptus": str(tmp_path), "ledgr": "x", "zzz": 1},
        log_path=folder / "run.log", cwd=ROOT,
    )  # fmt: skip
    assert result.status == "failed" and not folder.exists()
    lines = result.message.splitlines()
    assert lines[0].startswith(
        "[E-NB-12] Sổ tay này không có tham số “outptus”: có phải “outputs”?"
    )
    assert lines[1].startswith("[E-NB-12] Sổ tay này không có tham số “ledgr”: có phải “ledger”?")
    assert lines[2].startswith("[E-NB-13] Sổ tay này không có tham số “zzz”.")
    assert "period, unit, inputs, outputs, ledger, narrative, pdf, annex_unit_reports" in lines[2]
