"""batch: every unit of a period in parallel; failures isolated; batch.json; reruns.

Runs real kernels over fixture units in a temporary folder, with the fixture per-unit notebook
tests/data/notebooks/unit_reads_input.ipynb: it reads <inputs>/<unit>/register.txt and writes
<outputs>/<period>/<unit>/result.txt; an unreadable file raises our InputFileError, the text
"exit" kills the kernel, "kill-runner" kills the worker process, "slow" sleeps 30 s.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hcpvnd_utils.cli.progress import Progress
from hcpvnd_utils.errors import ConfigError
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.runs import batch
from hcpvnd_utils.runs import pool as batch_pool

NOTEBOOK = Path(__file__).parent / "data" / "notebooks" / "unit_reads_input.ipynb"
PERIOD = parse_period("2024-09")

pytestmark = pytest.mark.slow


def make_units(root: Path, registers: dict[str, str | bytes], later: tuple = ()) -> Path:
    """A units file and one input folder per unit; units in `later` start sending in December."""
    inputs = root / "inputs"
    lines = ["scheme: test", "province: {code: 52, name: Bình Định}"]
    lines += ["report_to: Ủy ban nhân dân tỉnh Bình Định", "units:"]
    for number, (key, text) in enumerate(registers.items(), start=1):
        start = "2024-12-01" if key in later else "2024-01-01"
        lines += [
            f"  {key}:",
            f"    code: {100 + number}",
            "    type: xã",
            f"    name: Thử {number}",
            "    signer: {authority: TM. ỦY BAN NHÂN DÂN, title: CHỦ TỊCH, name: Người Ký}",
            f"    rollout: {{letters_start: {start}}}",
        ]
        set_register(inputs, key, text)
    (inputs / "units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return inputs


def set_register(inputs: Path, key: str, text: str | bytes) -> None:
    (inputs / key).mkdir(parents=True, exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (inputs / key / "register.txt").write_bytes(data)


def run(root: Path, **options) -> batch.BatchResult:
    options.setdefault("jobs", 2)
    return batch.run_batch(
        PERIOD,
        inputs=root / "inputs",
        outputs=root / "outputs",
        ledger=root / "outputs" / "ledger.sqlite",
        notebook=NOTEBOOK,
        **options,
    )


def batch_json(root: Path) -> dict:
    return json.loads((root / "outputs" / "2024-09" / "batch.json").read_text(encoding="utf-8"))


def entries(root: Path) -> dict[str, dict]:
    return {entry["unit"]: entry for entry in batch_json(root)["units"]}


def test_broken_units_fail_alone_and_batch_json_says_why(tmp_path, capsys):
    registers = {
        "xa-mot": "mười dòng",
        "xa-hai": "hai mươi dòng",
        "xa-ba": b"\xff\xfe not utf-8",  # unreadable input
        "xa-bon": "chưa gửi thư",
        "xa-nam": "exit",  # the kernel dies
    }
    make_units(tmp_path, registers, later=("xa-bon",))

    result = run(tmp_path, progress=Progress())  # what `hcpvnd batch` shows as it goes

    assert (result.ok, result.failed, result.skipped) == (
        ["xa-mot", "xa-hai"],
        ["xa-ba", "xa-nam"],
        ["xa-bon"],
    )
    assert result.exit_code == 1
    assert result.path == tmp_path / "outputs" / "2024-09" / "batch.json"
    period_folder = result.path.parent
    assert (period_folder / "xa-mot" / "result.txt").read_text(encoding="utf-8") == "MƯỜI DÒNG"
    assert not (period_folder / "xa-ba" / "result.txt").exists()

    record = batch_json(tmp_path)
    assert record["period"] == {"label": "2024-09", "start": "2024-09-01", "end": "2024-09-30"}
    assert record["counts"] == {"ok": 2, "failed": 2, "skipped": 1, "pending": 0}
    assert [e["unit"] for e in record["units"]] == list(registers)  # units-file order
    units = entries(tmp_path)
    assert units["xa-mot"]["status"] == "ok" and units["xa-mot"]["message"] == ""
    assert units["xa-mot"]["notebook"] == "xa-mot/notebooks/unit_reads_input.ipynb"
    assert units["xa-mot"]["log"] == "xa-mot/notebooks/run.log"
    assert units["xa-ba"]["message"] == (
        "[E-FILE-01] Tệp register.txt: không đọc được (UnicodeDecodeError). "
        "Mở tệp bằng Excel, lưu lại dạng .xlsx rồi chạy lại."
    )
    assert units["xa-ba"]["failed_cell"] == {
        "index": 3,
        "source": 'source = Path(inputs) / unit / "register.txt"',
    }
    assert units["xa-nam"]["message"].startswith("[E-NB-02]")
    assert units["xa-bon"]["status"] == "skipped"
    assert units["xa-bon"]["message"].startswith("[I-BATCH-01] Xã Thử 4 chưa gửi thư")
    for unit in ("xa-mot", "xa-hai", "xa-ba", "xa-nam"):
        assert (period_folder / units[unit]["notebook"]).is_file()
        assert (period_folder / units[unit]["log"]).is_file()
        assert units[unit]["duration"] > 0
    if os.name == "posix":
        assert oct(result.path.stat().st_mode & 0o777) == "0o600"

    progress = capsys.readouterr().err
    assert "Kỳ 2024-09: chạy 4 đơn vị, 2 tiến trình song song." in progress
    for unit in ("xa-mot", "xa-hai", "xa-ba", "xa-nam"):
        assert progress.count(f"] {unit} (") == 1
    assert "LỖI [E-FILE-01]" in progress


def test_rerun_failed_runs_only_the_failed_units(tmp_path):
    make_units(tmp_path, {"xa-mot": "một", "xa-hai": b"\xff broken", "xa-ba": "ba"})
    first = run(tmp_path)
    assert first.failed == ["xa-hai"]
    done_before = {
        key: (tmp_path / "outputs" / "2024-09" / key / "result.txt").stat().st_mtime_ns
        for key in ("xa-mot", "xa-ba")
    }
    set_register(tmp_path / "inputs", "xa-hai", "hai")  # the clerk fixes the file

    again = run(tmp_path, rerun_failed=True)

    assert [r.unit for r in again.runs] == ["xa-hai"]
    assert again.ok == ["xa-hai"] and again.exit_code == 0
    for key, mtime in done_before.items():
        assert (tmp_path / "outputs" / "2024-09" / key / "result.txt").stat().st_mtime_ns == mtime
    assert batch_json(tmp_path)["counts"] == {"ok": 3, "failed": 0, "skipped": 0, "pending": 0}
    assert batch_json(tmp_path)["rerun_failed"] is True

    nothing_left = run(tmp_path, rerun_failed=True)
    assert nothing_left.runs == [] and nothing_left.exit_code == 0


def test_a_batch_of_some_units_keeps_the_record_of_the_others(tmp_path):
    make_units(tmp_path, {"xa-mot": "một", "xa-hai": "hai"})
    run(tmp_path, units=["xa-hai"])
    assert list(entries(tmp_path)) == ["xa-hai"]

    result = run(tmp_path, units=["xa-mot"], jobs=1)

    assert [r.unit for r in result.runs] == ["xa-mot"]
    assert list(entries(tmp_path)) == ["xa-mot", "xa-hai"]
    assert {e["status"] for e in entries(tmp_path).values()} == {"ok"}


def test_rerun_failed_without_a_previous_batch_says_what_to_do(tmp_path):
    make_units(tmp_path, {"xa-mot": "một"})

    with pytest.raises(batch.BatchError) as caught:
        run(tmp_path, rerun_failed=True)

    assert caught.value.code == "E-BATCH-01"
    assert "Chưa có kết quả chạy hàng loạt cho kỳ 2024-09" in caught.value.message


def test_an_unknown_unit_stops_the_batch_before_anything_runs(tmp_path):
    make_units(tmp_path, {"xa-mot": "một"})

    with pytest.raises(ConfigError) as caught:
        run(tmp_path, units=["xa-mot", "xa-muoi"])

    assert caught.value.code == "E-CONF-03"
    assert not (tmp_path / "outputs" / "2024-09" / "batch.json").exists()


@pytest.mark.skipif(os.name != "posix", reason="kills a process with SIGKILL")
def test_a_worker_process_that_dies_takes_only_its_own_unit_down(tmp_path):
    make_units(tmp_path, {"xa-mot": "một", "xa-hai": "kill-runner", "xa-ba": "ba", "xa-bon": "bốn"})

    result = run(tmp_path, jobs=2)

    assert result.failed == ["xa-hai"]
    assert result.ok == ["xa-mot", "xa-ba", "xa-bon"]
    assert entries(tmp_path)["xa-hai"]["message"].startswith("[E-BATCH-03]")


class _PoolThatBreaksOnce:
    """A stand-in pool (scheduling logic only): the first pool breaks after its second unit
    has finished, as when a worker dies while another unit ends; submit then refuses."""

    made = 0

    def __init__(self):
        _PoolThatBreaksOnce.made += 1
        self.first, self.submitted = _PoolThatBreaksOnce.made == 1, 0

    def submit(self, fn, key, job):
        if self.first and self.submitted == 2:
            raise batch_pool.BrokenProcessPool("a worker died")
        self.submitted += 1
        future = batch_pool.Future()
        future.set_result(fn(key, job))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_a_pool_that_breaks_between_two_waits_loses_no_unit(tmp_path, monkeypatch):
    # CI caught this race once: a unit finished, the pool broke, and the next submit raised
    ran = []

    def run_unit(key, job):
        ran.append(key)
        return batch_pool.UnitRun(key, "ok", 0.0, None, None)

    _PoolThatBreaksOnce.made = 0
    monkeypatch.setattr(batch_pool, "_new_pool", lambda jobs: _PoolThatBreaksOnce())
    monkeypatch.setattr(batch_pool, "_run_unit", run_unit)
    job = batch_pool.Job(
        PERIOD, tmp_path, tmp_path, tmp_path / "l.sqlite", NOTEBOOK, 60, 2, tmp_path
    )
    finished = []

    batch_pool.run_parallel(["a", "b", "c", "d"], job, finished.append)

    assert sorted(ran) == ["a", "b", "c", "d"]  # each unit ran exactly once
    assert sorted(run.unit for run in finished if run.ok) == ["a", "b", "c", "d"]
    assert _PoolThatBreaksOnce.made == 2


BATCH_SCRIPT = """
import signal, sys
# Ctrl-C as on a terminal, even when the test runs in a background job (which ignores SIGINT)
signal.signal(signal.SIGINT, signal.default_int_handler)
from pathlib import Path
from hcpvnd_utils.runs import batch
from hcpvnd_utils.runs import pool as batch_pool
from hcpvnd_utils.periods import parse_period
root, notebook = Path(sys.argv[1]), Path(sys.argv[2])
batch.run_batch(parse_period("2024-09"), jobs=1, inputs=root / "inputs",
                outputs=root / "outputs", ledger=root / "outputs" / "ledger.sqlite",
                notebook=notebook, progress=None)
"""


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_an_interrupted_batch_completes_when_rerun(tmp_path):
    make_units(tmp_path, {"xa-mot": "một", "xa-hai": "slow", "xa-ba": "ba"})
    command = [sys.executable, "-c", BATCH_SCRIPT, str(tmp_path), str(NOTEBOOK)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    slow_log = tmp_path / "outputs" / "2024-09" / "xa-hai" / "notebooks" / "run.log"
    deadline = time.monotonic() + 120
    while not slow_log.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)  # the slow cell is running now
    process.send_signal(signal.SIGINT)  # Ctrl-C
    assert process.wait(timeout=60) != 0

    units = entries(tmp_path)
    assert units["xa-mot"]["status"] == "ok"
    assert units["xa-hai"]["status"] == units["xa-ba"]["status"] == "failed"
    assert units["xa-hai"]["message"].startswith("[E-BATCH-02]")
    assert batch_json(tmp_path)["counts"]["pending"] == 0

    set_register(tmp_path / "inputs", "xa-hai", "hai")
    again = run(tmp_path, rerun_failed=True)

    assert again.ok == ["xa-hai", "xa-ba"] and again.exit_code == 0
    for key, text in {"xa-mot": "MỘT", "xa-hai": "HAI", "xa-ba": "BA"}.items():
        result_file = tmp_path / "outputs" / "2024-09" / key / "result.txt"
        assert result_file.read_text(encoding="utf-8") == text
    assert batch_json(tmp_path)["counts"] == {"ok": 3, "failed": 0, "skipped": 0, "pending": 0}


def test_an_outputs_folder_that_cannot_be_written_stops_the_batch_with_a_message(tmp_path):
    make_units(tmp_path, {"xa-mot": "một"})
    (tmp_path / "outputs").write_text("a file where the outputs folder should be")

    with pytest.raises(batch.BatchError) as caught:
        run(tmp_path)

    assert caught.value.code == "E-BATCH-06"


def test_a_batch_leaves_no_kernel_folders_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(batch.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    make_units(tmp_path, {"xa-mot": "một", "xa-hai": "exit"})
    run(tmp_path)  # one unit ok, one kernel dead
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "outputs").write_text("a file where the outputs folder should be")
    make_units(blocked, {"xa-mot": "một"})
    with pytest.raises(batch.BatchError):
        run(blocked)

    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_damaged_batch_json_stops_a_rerun_with_what_to_do(tmp_path):
    make_units(tmp_path, {"xa-mot": "một"})
    damaged = tmp_path / "outputs" / "2024-09" / "batch.json"
    damaged.parent.mkdir(parents=True)
    damaged.write_text('{"units": [', encoding="utf-8")  # cut short

    with pytest.raises(batch.BatchError) as caught:
        run(tmp_path, rerun_failed=True)

    assert caught.value.code == "E-BATCH-05"
    assert (
        "nội dung không đúng dạng" in caught.value.message and "Error" not in caught.value.message
    )
