"""nbrun: one notebook in a fresh kernel; how each kind of failure is reported.

Runs real kernels on the fixture notebooks of tests/data/notebooks/, named after what they do.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from hcpvnd_utils import runlock
from hcpvnd_utils.messages import render
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.runs import notebook as nbrun

FIXTURES = Path(__file__).parent / "data" / "notebooks"

pytestmark = pytest.mark.slow


def execute(tmp_path: Path, name: str, parameters=None, **options) -> nbrun.Execution:
    folder = tmp_path / "run"
    return nbrun.execute_notebook(
        FIXTURES / f"{name}.ipynb",
        folder / f"{name}.ipynb",
        parameters or {},
        log_path=folder / "run.log",
        cwd=tmp_path,
        **options,
    )


def executed_copy(tmp_path: Path, name: str):
    return nbformat.read(tmp_path / "run" / f"{name}.ipynb", as_version=4)


def log_text(tmp_path: Path) -> str:
    return (tmp_path / "run" / "run.log").read_text(encoding="utf-8")


def test_ok_notebook_runs_with_its_parameters_and_keeps_the_executed_copy(tmp_path):
    target = tmp_path / "greeting.txt"
    result = execute(tmp_path, "ok", {"greeting": "chúc mừng", "out": str(target)})

    assert (result.status, result.message, result.failed_cell) == ("ok", "", None)
    assert target.read_text(encoding="utf-8") == "chúc mừng"
    nb = executed_copy(tmp_path, "ok")
    injected = [c for c in nb.cells if nbrun.INJECTED_TAG in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "greeting = " in injected[0].source
    assert nbrun.FAILED_TAG not in str(nb.cells[0].metadata)
    log = log_text(tmp_path)
    assert "chúc mừng" in log  # the kernel's printed output goes to the run log
    assert "lỗi ra stderr" in log
    assert "ok," in log.splitlines()[-1]


def test_a_cell_that_raises_fails_the_run_naming_the_cell(tmp_path):
    result = execute(tmp_path, "raises")

    assert result.status == "failed"
    assert result.failed_cell == nbrun.FailedCell(3, "raise ValueError(value)")
    assert result.message.startswith("[E-NB-01] Sổ tay raises.ipynb dừng ở ô số 4")
    assert "ValueError" in result.message
    assert "dữ liệu riêng" not in result.message  # an exception's text may hold personal data
    nb = executed_copy(tmp_path, "raises")
    assert nb.cells[0].metadata["tags"] == [nbrun.FAILED_TAG]
    assert result.message in nb.cells[0].source
    never = [c for c in nb.cells if "không bao giờ chạy" in c.source]
    assert never[0].outputs == []


def test_our_own_error_in_a_cell_reaches_the_clerk_unchanged(tmp_path):
    result = execute(tmp_path, "raises_clerk_error", {"file": "ks_T9.xlsx"})

    assert result.status == "failed"
    assert result.message == render("E-FILE-01", file="ks_T9.xlsx", detail="BadZipFile")
    assert result.failed_cell.index == 3


def test_a_kernel_that_dies_fails_the_run_and_does_not_hang(tmp_path):
    result = execute(tmp_path, "kills_kernel", timeout=60)

    assert result.status == "failed"
    assert result.message.startswith("[E-NB-02]")
    assert result.failed_cell == nbrun.FailedCell(3, "import os")
    # papermill leaves this copy looking complete; the banner says otherwise
    nb = executed_copy(tmp_path, "kills_kernel")
    assert nb.cells[0].metadata["tags"] == [nbrun.FAILED_TAG]
    assert nb.metadata["hcpvnd"]["status"] == "failed"
    assert "trước khi dừng" in log_text(tmp_path)


def test_a_cell_over_the_timeout_is_stopped_and_fails_the_run(tmp_path):
    result = execute(tmp_path, "slow_cell", timeout=2)

    assert result.status == "failed"
    assert result.message.startswith("[E-NB-03] Ô số 3 (“import time”)")
    assert "2 giây" in result.message
    assert result.failed_cell.index == 2


@pytest.mark.parametrize("content", [None, "{ not a notebook", ""])
def test_a_missing_or_broken_notebook_fails_before_any_kernel(tmp_path, content):
    source = tmp_path / "broken.ipynb"
    if content is not None:
        source.write_text(content, encoding="utf-8")
    executed = tmp_path / "out" / "broken.ipynb"
    executed.parent.mkdir()
    executed.write_text("an earlier run's copy", encoding="utf-8")

    result = nbrun.execute_notebook(
        source, executed, {}, log_path=tmp_path / "out" / "run.log", cwd=tmp_path
    )

    assert result.status == "failed"
    assert result.message.startswith("[E-NB-05]")
    assert result.failed_cell is None
    assert not executed.exists()  # a stale copy must not pass for this run


def test_the_kernel_runs_in_the_given_folder_without_moving_ours(tmp_path):
    here = os.getcwd()
    report = tmp_path / "where.json"
    result = execute(tmp_path, "reports_cwd", {"out": str(report)}, env={"HCPVND_HOME": "/x"})

    assert result.status == "ok"
    seen = __import__("json").loads(report.read_text())
    assert Path(seen["cwd"]).resolve() == tmp_path.resolve()
    assert seen["home"] == "/x"
    assert os.getcwd() == here


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2024-09", "2024-09"),
        ("2024-Q3", "2024-Q3"),
        ("2024-03-01..2024-05-31", "2024-03-01_2024-05-31"),
    ],
)
def test_run_unit_notebook_keeps_copy_and_log_under_the_unit_folder(tmp_path, text, label):
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    (inputs / "xa-mot").mkdir(parents=True)
    (inputs / "xa-mot" / "register.txt").write_text("năm dòng", encoding="utf-8")

    run = nbrun.run_unit_notebook(
        "xa-mot",
        parse_period(text),
        inputs=inputs,
        outputs=outputs,
        ledger=outputs / "ledger.sqlite",
        notebook=FIXTURES / "unit_reads_input.ipynb",
    )

    folder = outputs / label / "xa-mot"
    assert (run.unit, run.status, run.message) == ("xa-mot", "ok", "")
    assert run.notebook_path == folder / "notebooks" / "unit_reads_input.ipynb"
    assert run.log_path == folder / "notebooks" / "run.log"
    assert (folder / "result.txt").read_text(encoding="utf-8") == "NĂM DÒNG"
    injected = nbformat.read(run.notebook_path, as_version=4).cells[2].source
    assert f'inputs = "{inputs.resolve()}"' in injected  # absolute paths as parameters
    if os.name == "posix":
        assert oct(run.notebook_path.stat().st_mode & 0o777) == "0o600"


def test_period_argument_round_trips_every_kind_of_period():
    for text in ["2024-11", "2024-Q3", "2024", "2024-03-01..2024-05-31"]:
        period = parse_period(text)
        assert parse_period(period.argument) == period


def test_an_outputs_folder_that_cannot_be_written_fails_with_a_message(tmp_path):
    blocker = tmp_path / "outputs"
    blocker.write_text("a file where the outputs folder should be", encoding="utf-8")

    run = nbrun.run_unit_notebook(
        "xa-mot",
        parse_period("2024-09"),
        inputs=tmp_path,
        outputs=blocker,
        ledger=tmp_path / "ledger.sqlite",
        notebook=FIXTURES / "unit_reads_input.ipynb",
    )

    assert run.status == "failed"
    assert run.message.startswith("[E-NB-08] Không ghi được vào thư mục kết quả")
    assert run.notebook_path is None


@pytest.mark.parametrize("key", ["../../x", "xa mot", "Xa-Mot", ""])
def test_a_unit_key_that_could_leave_the_outputs_folder_is_refused(tmp_path, key):
    run = nbrun.run_unit_notebook(
        key,
        parse_period("2024-09"),
        inputs=tmp_path,
        outputs=tmp_path / "outputs",
        ledger=tmp_path / "ledger.sqlite",
        notebook=FIXTURES / "unit_reads_input.ipynb",
    )

    assert run.status == "failed" and run.message.startswith("[E-NB-09]")
    assert not (tmp_path / "outputs").exists()


def test_a_rerun_keeps_the_earlier_runs_record_in_lich_su(tmp_path):
    first = tmp_path / "first.txt"
    execute(tmp_path, "ok", {"greeting": "lần một", "out": str(first)})
    execute(tmp_path, "ok", {"greeting": "lần hai", "out": str(tmp_path / "second.txt")})

    (kept,) = (tmp_path / "run" / nbrun.HISTORY_DIR).iterdir()
    earlier = nbformat.read(kept / "ok.ipynb", as_version=4)
    assert "lần một" in str(earlier.cells) and "lần một" in (kept / "run.log").read_text()
    assert "lần hai" in str(executed_copy(tmp_path, "ok").cells)
    assert "lần một" not in log_text(tmp_path)


def test_a_second_run_of_the_same_record_while_one_runs_changes_nothing(tmp_path):
    """Two windows running the same unit and period: the second is refused at once and leaves
    the running one's executed copy and log alone."""
    folder = tmp_path / "run"
    folder.mkdir()
    with runlock.exclusive(folder / ".ok.lock") as mine:  # as a running execution holds it
        assert mine
        result = execute(tmp_path, "ok", {"greeting": "x", "out": str(tmp_path / "x.txt")})

    assert result.status == "failed" and result.message.startswith("[E-NB-10]")
    assert str(folder) in result.message
    assert not (folder / "run.log").exists() and not (folder / "ok.ipynb").exists()
