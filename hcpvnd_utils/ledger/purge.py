"""Deleting the letters and print files made before a date (``hcpvnd purge --before DATE``).

Letters and print files hold names and addresses; once printed and handed over they should not
stay on the office computer. A purge deletes:

- the letters the ledger records as made before DATE (its ``created_at``), and the letters
  files under ``<outputs>/<period>/<unit>/letters/<event>/`` the ledger does not know (left by a
  killed run) whose file is older than DATE;
- the print files ``ban_in_<event>.docx`` last written before DATE, and those whose letters
  folder has no letter left after the purge (a print file is a copy of its letters);
- the workbooks that quote cells or name people (``rejected.xlsx``, ``kiem_tra_*.xlsx``, the
  delivery sheets ``so_giao_thu*.xlsx``) last written before DATE;

and empties what the runs before DATE recorded of people (``scrub``): the letters' file names
and quoted cells in ``summary.json`` (and the quoted cells in the rows file beside it), the
outputs of the analyst's notebook copies in ``outputs/so_tay/`` (``hcpvnd lab``; all of them,
whatever their date: a copy saved after DATE can show letters made before it), the outputs of the executed notebooks (``lich_su/`` too),
and the purged letters' delivery notes in the ledger (``Ledger.mark_purged``).

The ledger keeps every registration (unit, event, book, number, date, source file and row, and
hashes of the row and of its people's names), and each letter's number, sha256 and status, with
a file name that no longer holds the person's name; its letters are marked ``purged``, so reports
stay true and no registration ever gets a second letter. summary.json keeps its counts (reports
read them) and codes. Nothing outside the outputs folder is touched, no symbolic link. Files are
deleted before their ledger rows are marked, so a purge stopped midway and run again finishes
the job. What it says names units, events and counts, never a person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath

from .. import layout
from ..errors import HcpvndError
from ..periods import short_date
from ..records import EVENT_TITLES, EVENTS
from ..rowsfile import rows_sha256
from ..safeio import sha256_file
from .book import Ledger
from .rows import nameless
from .schema import MADE
from .scrub import empty_notebook, scrub_rows, scrub_summary, shows_something

LETTER, PRINT_FILE, WORKBOOK = "letter", "print_file", "workbook"
_BATCH = 500  # letters marked purged per ledger transaction


class PurgeError(HcpvndError):
    """A purge that cannot start: no ledger."""


@dataclass(frozen=True)
class Doomed:
    """One file to delete."""

    path: Path
    unit: str
    event: str
    kind: str  # LETTER or PRINT_FILE
    letter_id: int | None = None  # the ledger's row, for letters it knows
    final: bool = True  # False: a letter made but not yet marked printed and handed over
    # the other ledger rows of the same letter: a letter for twins is one file with a row per
    # registration, deleted (and counted) once, every row of it marked purged
    others: tuple[int, ...] = ()


@dataclass
class PurgePlan:
    outputs: Path
    ledger: Path
    before: date
    files: list[Doomed] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)  # ledger letters whose file is already gone
    summaries: list[Path] = field(default_factory=list)  # to empty of names and cells
    notebooks: list[Path] = field(default_factory=list)  # executed notebooks: outputs removed
    workspace: list[Path] = field(default_factory=list)  # the analyst's copies showing something
    letter_files: dict[int, tuple[str, str]] = field(default_factory=dict)  # id: (file, sha)

    def counts(self) -> dict[tuple[str, str], Counter]:
        """{(unit, event): Counter(letter=n, print_file=n)} in unit, event order."""
        found: dict[tuple[str, str], Counter] = {}
        for item in self.files:
            if item.kind != WORKBOOK:
                found.setdefault((item.unit, item.event), Counter())[item.kind] += 1
        return dict(sorted(found.items(), key=lambda kv: (kv[0][0], _event_order(kv[0][1]))))

    @property
    def empty(self) -> bool:
        return not (self.files or self.gone or self.summaries or self.notebooks or self.workspace)

    @property
    def workbooks(self) -> int:
        return sum(1 for item in self.files if item.kind == WORKBOOK)

    @property
    def not_final(self) -> int:
        return sum(1 for item in self.files if item.kind == LETTER and not item.final)


def _event_order(event: str) -> int:
    return EVENTS.index(event) if event in EVENTS else len(EVENTS)


# --- planning --------------------------------------------------------------------------------


def plan_purge(outputs: Path, ledger: Path, before: date) -> PurgePlan:
    """What a purge before ``before`` would delete. Reads only; deletes nothing."""
    outputs, ledger = Path(outputs).resolve(), Path(ledger).resolve()
    if not ledger.is_file():
        raise PurgeError("E-PURGE-02", path=ledger)
    plan = PurgePlan(outputs, ledger, before)
    with Ledger(ledger) as book:
        recorded = book.letters_created_before(datetime.max)
        old = {row["letter_id"] for row in book.letters_created_before(before)}
    plan.letter_files = {r["letter_id"]: (r["file"], r["sha256"]) for r in recorded}
    known, letters = set(), {}
    for row in recorded:
        path = _inside(outputs, row["file"])
        known.add(path)
        if row["letter_id"] not in old or path is None:
            continue
        if path in letters:  # another registration of a letter for several (twins)
            held = letters[path]
            letters[path] = replace(held, others=(*held.others, row["letter_id"]))
        elif _regular_file(path):
            letters[path] = Doomed(path, layout.unit_of(outputs, path), row["event"], LETTER,
                                   row["letter_id"], row["status"] != MADE)  # fmt: skip
        else:
            plan.gone.append(row["letter_id"])
    plan.files += letters.values()
    plan.files += _unrecorded_letters(outputs, known, before)
    plan.files += _print_files(outputs, before, plan.files)
    _plan_records(plan)
    return plan


def _plan_records(plan: PurgePlan) -> None:
    """What the runs before DATE recorded of people: workbooks to delete, summaries and
    executed notebooks to empty."""
    outputs, before = plan.outputs, plan.before
    for path in layout.cell_workbooks(outputs):
        if _regular_file(path) and _modified_before(path, before):
            plan.files.append(Doomed(path, layout.unit_of(outputs, path), "", WORKBOOK))
    plan.summaries = [p for p in layout.summary_files(outputs) if _old_file(p, before)]
    plan.notebooks = [p for p in layout.unit_run_notebooks(outputs) if _old_file(p, before)]
    plan.workspace = [p for p in layout.workspace_notebooks(outputs)
                      if _regular_file(p) and shows_something(p)]  # fmt: skip


def _old_file(path: Path, before: date) -> bool:
    return _regular_file(path) and _modified_before(path, before)


def _inside(outputs: Path, relative: str) -> Path | None:
    """The file a ledger row names, when it lies inside the outputs folder (else None)."""
    path = (outputs / PurePosixPath(relative)).resolve()
    return path if path.is_relative_to(outputs) and path != outputs else None


def _regular_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _modified_before(path: Path, before: date) -> bool:
    return path.stat().st_mtime < datetime.combine(before, time.min).timestamp()


def _letter_files(outputs: Path):
    for path in layout.letter_files(outputs):
        if _regular_file(path):
            yield path


def _unrecorded_letters(outputs: Path, known: set, before: date) -> list[Doomed]:
    """Letters a killed run left without a ledger row (the next run would replace them)."""
    return [
        Doomed(path, layout.unit_of(outputs, path), path.parent.name, LETTER)
        for path in sorted(_letter_files(outputs))
        if path.resolve() not in known and _modified_before(path, before)
    ]


def _print_files(outputs: Path, before: date, letters: list[Doomed]) -> list[Doomed]:
    doomed = {item.path for item in letters}
    found = []
    for path, event in layout.print_files(outputs):
        if not _regular_file(path):
            continue
        folder = layout.unit_folder(outputs, *path.parent.relative_to(outputs).parts).letters(event)
        remaining = [p for p in folder.glob("*.docx") if p.resolve() not in doomed]
        if _modified_before(path, before) or not remaining:
            found.append(Doomed(path, layout.unit_of(outputs, path), event, PRINT_FILE))
    return found


# --- doing it --------------------------------------------------------------------------------


def execute(plan: PurgePlan) -> Counter:
    """Delete the plan's files, then mark their letters purged in the ledger. Returns how many
    files of each kind were deleted."""
    deleted: Counter = Counter()
    purged: list[int] = []
    with Ledger(plan.ledger) as book:
        batch = list(plan.gone)
        for item in plan.files:
            if _regular_file(item.path):
                item.path.unlink()
                deleted[item.kind] += 1
            if item.letter_id is not None:
                batch += [item.letter_id, *item.others]
            if len(batch) >= _BATCH:
                purged += batch
                book.mark_purged(batch)
                batch = []
        book.mark_purged(batch)
        purged += batch
        book.checkpoint()  # the old names leave the write-ahead log and the free pages
    renamed = {
        plan.letter_files[i][0]: nameless(*plan.letter_files[i])
        for i in purged
        if i in plan.letter_files
    }
    for path in plan.summaries:
        prefix = path.parent.relative_to(plan.outputs).as_posix() + "/"
        rows = path.parent / layout.ROWS_FILE
        belongs = rows_sha256(rows) == sha256_file(path)  # read before the summary changes
        deleted["summary"] += scrub_summary(path, renamed, prefix)
        scrub_rows(rows, path if belongs else None)
    for path in plan.notebooks:
        deleted["notebook"] += empty_notebook(path)
    for path in plan.workspace:
        deleted["workspace"] += empty_notebook(path)
    return deleted


# --- what the clerk reads --------------------------------------------------------------------


def describe(plan: PurgePlan, done: bool = False) -> str:
    """What the purge deletes (or deleted), per unit and event: counts, never names."""
    when = short_date(plan.before)
    counts = plan.counts()
    if plan.empty:
        return f"Không có thư hay tệp in nào làm trước ngày {when} trong {plan.outputs}."
    letters = sum(c[LETTER] for c in counts.values())
    prints = sum(c[PRINT_FILE] for c in counts.values())
    verb = "Đã xóa" if done else "Sẽ xóa"
    lines = [f"{verb} {letters} thư và {prints} tệp in làm trước ngày {when} trong {plan.outputs}:"]
    for (unit, event), count in counts.items():
        title = EVENT_TITLES.get(event, event)
        lines.append(f"  {unit}, {title}: {count[LETTER]} thư, {count[PRINT_FILE]} tệp in")
    if plan.gone:
        lines.append(f"{len(plan.gone)} thư làm trước ngày {when} đã không còn tệp (bị xóa bằng "
                     "tay): sổ theo dõi ghi nhận là đã xóa.")  # fmt: skip
    if plan.workbooks or plan.summaries or plan.notebooks:
        lines.append(f"{'Đã' if done else 'Sẽ'} xóa {plan.workbooks} tệp Excel có nội dung ô "
                     f"hoặc tên người (kiểm tra, sổ giao thư), bỏ tên người và nội dung ô khỏi "
                     f"{len(plan.summaries)} tệp "
                     f"summary.json và {len(plan.notebooks)} sổ tay đã chạy.")  # fmt: skip
    if plan.workspace:
        lines.append(f"{'Đã' if done else 'Sẽ'} xóa phần kết quả hiển thị (bảng, danh sách tệp thư "
                     f"có tên người) của {len(plan.workspace)} sổ tay trong "
                     f"{layout.notebook_workspace(plan.outputs)} (bản sao của chuyên viên, mở bằng "
                     "hcpvnd lab); mã lệnh và tham số giữ nguyên, chạy lại sổ tay thì có lại kết "
                     "quả.")  # fmt: skip
    if plan.not_final and not done:
        lines.append(f"Chú ý: {plan.not_final} thư chưa được đánh dấu là đã in và gửi (chưa chốt); "
                     "xóa rồi thì không làm lại được.")  # fmt: skip
    lines.append("Sổ theo dõi vẫn giữ số lượng và mã kiểm tra (sha256) của các thư đã xóa: báo cáo "
                 "không thay đổi và không đăng ký nào được làm thư lần hai. Còn lại: số, ngày đăng "
                 "ký, mã lỗi và số lượng; không còn tên người.")  # fmt: skip
    return "\n".join(lines)


__all__ = ["PurgeError", "PurgePlan", "describe", "execute", "plan_purge"]
