"""A full disk and a read-only outputs folder, for real: the outputs live on a small tmpfs.

`hcpvnd letters` (the notebook in its kernel, as a clerk runs it) must stop with a coded
Vietnamese message that says what happened, leave no half-written file, and after the disk is
freed (or made writable) a rerun must make exactly the missing letters.

Mounting needs root (as on CI); elsewhere these tests are skipped and say why.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from run_checks import (
    PERIOD,
    UNIT,
    assert_nothing_half_written,
    assert_one_letter_per_registration,
    letter_files,
    reference_run,
)

from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.letters.run import run_unit

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="tmpfs mounts")]


class SmallDisk:
    """A tmpfs of a chosen size; remount() changes its size or makes it read-only."""

    def __init__(self, where: Path, size: str):
        self.where = where
        where.mkdir()
        if os.geteuid() != 0:
            pytest.skip("mounting a small disk needs root")
        done = _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where))
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")

    def remount(self, options: str) -> None:
        done = _mount("-o", f"remount,{options}", str(self.where))
        assert done.returncode == 0, done.stderr

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.where)], check=False, capture_output=True)


def _mount(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *arguments], capture_output=True, text=True, check=False)


@pytest.fixture
def small_disk(tmp_path):
    disks = []

    def make(size: str) -> SmallDisk:
        disks.append(SmallDisk(tmp_path / f"disk{len(disks)}", size))
        return disks[-1]

    yield make
    for disk in disks:
        disk.unmount()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    return reference_run(tmp_path_factory.mktemp("reference"))


def letters_command(outputs: Path) -> tuple[int, str]:
    command = [sys.executable, "-m", "hcpvnd_utils", "letters", "--unit", UNIT,
               "--period", PERIOD, "--outputs", str(outputs)]  # fmt: skip
    env = {**os.environ, "HCPVND_HOME": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, encoding="utf-8")
    assert "Traceback" not in done.stdout + done.stderr
    return done.returncode, done.stderr


def test_a_full_disk_stops_the_run_with_a_message_and_the_rerun_makes_the_rest(
    small_disk, reference
):
    disk = small_disk("1500k")  # the unit's letters need about 3.8 MB
    outputs = disk.where / "outputs"

    code, said = letters_command(outputs)

    assert code == 2
    assert "[E-OS-01]" in said and "ổ đĩa đã đầy" in said and "chạy lại" in said
    folder = outputs / PERIOD / UNIT
    assert not list(outputs.rglob("*.part"))
    assert_nothing_half_written(folder)  # the executed notebook too, if it was kept at all
    made_before = len(letter_files(folder))
    assert 0 < made_before < len(reference["letters"])

    disk.remount("size=32m")  # the clerk frees space
    code, said = letters_command(outputs)

    assert code == 0, said
    assert_one_letter_per_registration(outputs, reference)
    assert_nothing_half_written(folder)


def test_a_read_only_outputs_folder_changes_nothing_and_the_rerun_completes(small_disk, reference):
    disk = small_disk("32m")
    outputs = disk.where / "outputs"
    outputs.mkdir()
    disk.remount("ro")

    code, said = letters_command(outputs)

    assert code == 2
    assert "ổ đĩa chỉ cho đọc" in said and str(outputs) in said
    assert list(outputs.iterdir()) == []

    disk.remount("rw")
    code, said = letters_command(outputs)

    assert code == 0, said
    assert_one_letter_per_registration(outputs, reference)


def test_a_ledger_on_a_read_only_disk_is_refused_in_vietnamese(small_disk):
    """The letters exist from an earlier run; the disk then turns read-only. The library call
    the notebook makes (run_unit) cannot open the ledger and says why; nothing changes."""
    disk = small_disk("32m")
    outputs = disk.where / "outputs"
    run_unit(UNIT, PERIOD, outputs=outputs)
    before = sorted((p.as_posix(), p.stat().st_mtime_ns) for p in outputs.rglob("*"))
    disk.remount("ro")

    with pytest.raises(HcpvndError) as refused:
        run_unit(UNIT, PERIOD, outputs=outputs)

    assert refused.value.code == "E-LEDGER-01"
    assert "ổ đĩa chỉ cho đọc" in refused.value.message
    assert sorted((p.as_posix(), p.stat().st_mtime_ns) for p in outputs.rglob("*")) == before
