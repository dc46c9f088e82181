"""Where things live: the project's folders, and every path under outputs/.

Every path the package uses is made here, so a notebook run from JupyterLab (working directory
notebooks/) and a papermill run from the top behave the same, and the outputs tree — a contract
other tools and the README rely on — is written down once:

    outputs/
      ledger.sqlite                       the ledger (``default_ledger``)
      loi_chuong_trinh.log                a crash's details (``crash_log``)
      kiem_tra_[<unit>_]<period>.xlsx     ``hcpvnd validate`` (``check_workbook``)
      so_tay/                             the analyst's copies of the notebooks (``hcpvnd lab``)
      <period label>/
        batch.json                        ``batch_file``
        <unit>/                           ``UnitFolder``: letters/<event>/…, ban_in_<event>.docx,
                                          rejected.xlsx, summary.json, rows.jsonl.gz
                                          (every row read), notebooks/…,
                                          so_giao_thu.xlsx (the delivery sheet) and
                                          so_giao_thu_loi.xlsx (its rows an import refused)
        report/notebooks/                 ``report_notebook``: bao_cao_<key>.ipynb, .log, .json
        report/<key>/                     ``ReportFolder``: du_thao/, da_duyet/, lich_su/,
                                          phe_duyet.json; in du_thao/ the draft
                                          bao_cao_<key>_<period>_du_thao.docx (a copy edited by
                                          hand: …_du_thao_sua_tay_<when>.docx), its workbook
                                          bang_so_lieu_<key>_<period>.xlsx, charts bieu_do_*.png
                                          and so_lieu.json; in da_duyet/ bao_cao_<key>_<period>.docx
        phan_tich/phan_tich.ipynb         ``analysis_notebook``: the executed analysis notebook
                                          (+ .log)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .textnorm import natural_key

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"

LEDGER_NAME = "ledger.sqlite"
CRASH_LOG = "loi_chuong_trinh.log"
BATCH_FILE = "batch.json"
NOTEBOOKS_DIR = "notebooks"  # a run's executed notebook copies and logs
HISTORY_DIR = "lich_su"  # earlier versions kept (notebook runs, approved reports)
LETTERS_DIR = "letters"
ROWS_FILE = "rows.jsonl.gz"  # every row a unit's run read (``rowsfile``)
PRINT_FILE = re.compile(r"ban_in_(khai_sinh|ket_hon|khai_tu)\.docx")
DRAFT_DIR, FINAL_DIR = "du_thao", "da_duyet"
ANALYSIS_DIR = "phan_tich"  # the analysis notebook's executed copies
ANALYSIS_NOTEBOOK = "phan_tich.ipynb"  # notebooks/'s analysis notebook, its executed copy's name
SNAPSHOT, APPROVALS = "so_lieu.json", "phe_duyet.json"
# a report's charts, by key (``report.charts``): the same names in du_thao/ and da_duyet/
CHART_FILES = {
    "by_unit": "bieu_do_thu_theo_don_vi.png",
    "by_month": "bieu_do_thu_theo_thang.png",
    "rollout": "bieu_do_tien_do_trien_khai.png",
    "delivery": "bieu_do_giao_thu.png",
}
TABLES_PREFIX = "bang_so_lieu_"  # a report's figures workbook: bang_so_lieu_<key>_<period>.xlsx
DELIVERY_SHEET = "so_giao_thu"  # the delivery sheet of a unit's period, and its companions


# ---------------------------------------------------------------- the project's folders


def project_root() -> Path:
    """The checkout holding inputs/ and templates/: $HCPVND_HOME, else the nearest parent of the
    working directory that has inputs/units.yaml, else the folder above the package."""
    env = os.environ.get("HCPVND_HOME")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "inputs" / "units.yaml").is_file():
            return folder
    return PACKAGE_DIR.parent


def inputs_dir() -> Path:
    return project_root() / "inputs"


def outputs_dir() -> Path:
    """$HCPVND_OUTPUTS (e.g. a temporary folder for the notebook tests), else outputs/."""
    env = os.environ.get("HCPVND_OUTPUTS")
    return Path(env).resolve() if env else project_root() / "outputs"


def templates_dir() -> Path:
    return project_root() / "templates"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def units_file(inputs: Path | None = None) -> Path:
    return Path(inputs or inputs_dir()) / "units.yaml"


def default_ledger(outputs: Path | None = None) -> Path:
    return Path(outputs or outputs_dir()) / LEDGER_NAME


def resolve(path: str | Path | None, default: Path) -> Path:
    """An absolute path: the given one (relative to the working directory) or the default."""
    return Path(path).expanduser().resolve() if path else default.resolve()


@dataclass(frozen=True)
class Places:
    """The folders and files of one command or run: inputs, outputs, the ledger, templates.
    Each is the one given (relative to the working directory) or the project's default; the
    ledger defaults to the one inside the outputs folder given."""

    inputs: Path
    outputs: Path
    ledger: Path
    templates: Path

    @classmethod
    def resolve(cls, inputs=None, outputs=None, ledger=None, templates=None) -> Places:
        out = resolve(outputs, outputs_dir())
        return cls(
            inputs=resolve(inputs, inputs_dir()),
            outputs=out,
            ledger=resolve(ledger, default_ledger(out)),
            templates=resolve(templates, templates_dir()),
        )

    @property
    def units_file(self) -> Path:
        return units_file(self.inputs)


# ---------------------------------------------------------------- the outputs tree


def crash_log(outputs: Path) -> Path:
    return Path(outputs) / CRASH_LOG


def spare_crash_log() -> Path:
    """Where a crash's details go when no outputs folder can be written: the system's
    temporary folder (owner-only, as everything we write)."""
    import tempfile

    return (
        Path(tempfile.gettempdir())
        / f"hcpvnd_{os.getuid() if hasattr(os, 'getuid') else 0}_{CRASH_LOG}"
    )


def check_workbook(outputs: Path, period_label: str, unit: str | None = None) -> Path:
    """``hcpvnd validate``'s workbook: kiem_tra_<unit>_<period>.xlsx, kiem_tra_<period>.xlsx."""
    name = f"kiem_tra_{unit}_{period_label}" if unit else f"kiem_tra_{period_label}"
    return Path(outputs) / f"{name}.xlsx"


def notebook_workspace(outputs: Path) -> Path:
    """outputs/so_tay/: the analyst's own copies of the notebooks, opened by ``hcpvnd lab``."""
    return Path(outputs) / "so_tay"


def period_dir(outputs: Path, period_label: str) -> Path:
    return Path(outputs) / period_label


def batch_file(outputs: Path, period_label: str) -> Path:
    return period_dir(outputs, period_label) / BATCH_FILE


@dataclass(frozen=True)
class UnitFolder:
    """``<outputs>/<period label>/<unit>/``: one unit's run of one period."""

    outputs: Path
    period_label: str
    unit: str

    @property
    def path(self) -> Path:
        return Path(self.outputs) / self.period_label / self.unit

    @property
    def relative(self) -> str:
        """The folder relative to outputs/: "2024-09/phuoc-quang"."""
        return f"{self.period_label}/{self.unit}"

    @property
    def prefix(self) -> str:
        """The folder relative to outputs/, as the ledger records letter files: "2024-09/x/"."""
        return f"{self.period_label}/{self.unit}/"

    def letters(self, event: str | None = None) -> Path:
        folder = self.path / LETTERS_DIR
        return folder / event if event else folder

    @classmethod
    def of_file(cls, outputs: Path, recorded: str | Path) -> UnitFolder:
        """The unit folder of a file under <outputs>/<period>/<unit>/, given relative to outputs/
        as the ledger records a letter's ("2024-09/phuoc-quang/letters/khai_sinh/0007_x.docx")."""
        period_label, unit = (str(recorded).replace("\\", "/").split("/") + ["", ""])[:2]
        return cls(Path(outputs), period_label, unit)

    @staticmethod
    def letter_relative(event: str, stem: str) -> str:
        """A letter's file relative to its unit folder: letters/<event>/<stem>.docx."""
        return f"{LETTERS_DIR}/{event}/{stem}.docx"

    def print_file(self, event: str) -> Path:
        return self.path / f"ban_in_{event}.docx"

    def print_files(self) -> list[Path]:
        return sorted(p for p in self.path.glob("ban_in_*.docx") if PRINT_FILE.fullmatch(p.name))

    @property
    def rejected(self) -> Path:
        return self.path / "rejected.xlsx"

    @property
    def summary(self) -> Path:
        return self.path / "summary.json"

    @property
    def rows_file(self) -> Path:
        """rows.jsonl.gz: every row the run read, one line each (``rowsfile``), named by
        summary.json's ``rows_file``."""
        return self.path / ROWS_FILE

    @property
    def delivery_sheet(self) -> Path:
        """so_giao_thu.xlsx: one row per letter of the folder, filled in by the commune (a
        contract: clerks and ``hcpvnd delivery import`` look for it here)."""
        return self.path / f"{DELIVERY_SHEET}.xlsx"

    def delivery_sheet_kept(self, stamp: str) -> Path:
        """Where a delivery sheet that cannot be read is kept when a run writes a new one."""
        return self.path / f"{DELIVERY_SHEET}_khong_doc_duoc_{stamp}.xlsx"

    @property
    def delivery_problems(self) -> Path:
        """so_giao_thu_loi.xlsx: the rows the last import of this sheet refused, with why."""
        return self.path / f"{DELIVERY_SHEET}_loi.xlsx"

    @property
    def notebooks(self) -> Path:
        return self.path / NOTEBOOKS_DIR

    def executed(self, notebook_name: str) -> Path:
        return self.notebooks / notebook_name

    @property
    def run_log(self) -> Path:
        return self.notebooks / "run.log"


def unit_folder(outputs: Path, period_label: str, unit: str) -> UnitFolder:
    return UnitFolder(Path(outputs), period_label, unit)


def unit_folders(outputs: Path, unit: str) -> list[UnitFolder]:
    """Every period's folder of one unit under the outputs folder (<period>/<unit>/)."""
    found = sorted(p for p in Path(outputs).glob(f"*/{unit}") if p.is_dir())
    return [UnitFolder(Path(outputs), p.parent.name, unit) for p in found]


def letter_files(outputs: Path):
    """Every letter file under the outputs folder (<period>/<unit>/letters/<event>/*.docx)."""
    return Path(outputs).glob(f"*/*/{LETTERS_DIR}/*/*.docx")


def cell_workbooks(outputs: Path):
    """The workbooks that quote register cells or name people: every unit run's rejected.xlsx,
    delivery sheet (so_giao_thu*.xlsx: names, addresses, notes) and the rows an import of it
    refused, and every ``hcpvnd validate`` workbook (kiem_tra_*.xlsx)."""
    yield from sorted(Path(outputs).glob("*/*/rejected.xlsx"))
    yield from sorted(Path(outputs).glob(f"*/*/{DELIVERY_SHEET}*.xlsx"))
    yield from sorted(Path(outputs).glob("kiem_tra_*.xlsx"))


def unit_run_notebooks(outputs: Path):
    """Every executed per-unit notebook (<period>/<unit>/notebooks/, lich_su/ included); the
    report's notebooks (<period>/report/notebooks/) hold figures only and are not listed."""
    for path in sorted(Path(outputs).glob(f"*/*/{NOTEBOOKS_DIR}/**/*.ipynb")):
        if path.relative_to(outputs).parts[1] != "report":
            yield path


def workspace_notebooks(outputs: Path) -> list[Path]:
    """Every notebook in the analyst's copies (outputs/so_tay/, ``hcpvnd lab``), JupyterLab's
    checkpoints (.ipynb_checkpoints/) included."""
    return sorted(notebook_workspace(outputs).rglob("*.ipynb"))


def summary_files(outputs: Path):
    """Every unit run's summary under the outputs folder (<period>/<unit>/summary.json)."""
    return Path(outputs).glob("*/*/summary.json")


def rows_files(outputs: Path):
    """Every unit run's rows file under the outputs folder (<period>/<unit>/rows.jsonl.gz)."""
    return Path(outputs).glob(f"*/*/{ROWS_FILE}")


def print_files(outputs: Path):
    """Every print file under the outputs folder, with its event: (path, event)."""
    for path in sorted(Path(outputs).glob("*/*/ban_in_*.docx")):
        match = PRINT_FILE.fullmatch(path.name)
        if match:
            yield path, match[1]


def unit_of(outputs: Path, path: Path) -> str:
    """The unit of a file under <outputs>/<period>/<unit>/…, "" when there is none."""
    parts = Path(path).relative_to(outputs).parts
    return parts[1] if len(parts) > 2 else ""


def report_base(outputs: Path, period_label: str) -> Path:
    return period_dir(outputs, period_label) / "report"


def report_notebook(outputs: Path, period_label: str, unit: str | None) -> Path:
    """The executed report notebook: report/notebooks/bao_cao_<unit or tong_hop>.ipynb; its log
    (.log) and what the run did (.json) sit next to it."""
    name = f"bao_cao_{unit or 'tong_hop'}.ipynb"
    return report_base(outputs, period_label) / NOTEBOOKS_DIR / name


def analysis_notebook(
    outputs: Path, period_label: str, notebook_name: str = ANALYSIS_NOTEBOOK
) -> Path:
    """The executed analysis notebook of a period: <period>/phan_tich/<notebook name>; its log
    (.log) sits next to it."""
    return period_dir(outputs, period_label) / ANALYSIS_DIR / notebook_name


@dataclass(frozen=True)
class ReportFolder:
    """``<outputs>/<period label>/report/<key>/``: one report's draft, approved version and
    approval record."""

    path: Path

    @property
    def outputs(self) -> Path:
        """The outputs folder it lies in (<outputs>/<period>/report/<key>)."""
        return self.path.parents[2]

    @property
    def draft_dir(self) -> Path:
        return self.path / DRAFT_DIR

    @property
    def final_dir(self) -> Path:
        return self.path / FINAL_DIR

    @property
    def history_dir(self) -> Path:
        return self.path / HISTORY_DIR

    @property
    def approvals(self) -> Path:
        return self.path / APPROVALS

    @property
    def snapshot(self) -> Path:
        """The figures the draft was built from."""
        return self.draft_dir / SNAPSHOT

    @property
    def stem(self) -> str:
        """bao_cao_<key>_<period label>: the report's document, draft and approved."""
        return f"bao_cao_{self.path.name}_{self.path.parents[1].name}"

    @property
    def draft(self) -> Path:
        """du_thao/bao_cao_<key>_<period label>_du_thao.docx."""
        return self.draft_dir / f"{self.stem}_du_thao.docx"

    def hand_edited(self, stamp: str) -> Path:
        """Where a draft edited in Word since it was written is kept aside."""
        return self.draft.with_name(f"{self.draft.stem}_sua_tay_{stamp}.docx")

    @property
    def final_name(self) -> str:
        """The approved document's name in da_duyet/: bao_cao_<key>_<period label>.docx."""
        return f"{self.stem}.docx"

    @property
    def tables(self) -> Path:
        """du_thao/bang_so_lieu_<key>_<period label>.xlsx: the report's figures workbook."""
        return self.draft_dir / f"{TABLES_PREFIX}{self.path.name}_{self.path.parents[1].name}.xlsx"

    @staticmethod
    def charts_in(folder: Path, keys=CHART_FILES) -> dict[str, Path]:
        """The chart files ``keys`` name, in ``folder`` (du_thao/ or da_duyet/)."""
        return {key: Path(folder) / CHART_FILES[key] for key in keys}

    @staticmethod
    def tables_in(folder: Path) -> Path | None:
        """The figures workbook a folder (da_duyet/) holds, None when there is none."""
        return next(iter(sorted(Path(folder).glob(f"{TABLES_PREFIX}*.xlsx"))), None)

    @property
    def old_skeleton(self) -> Path:
        """du_thao/nhan_dinh_mau.yaml, written by older versions (removed when found)."""
        return self.draft_dir / "nhan_dinh_mau.yaml"


def report_folder(outputs: Path, period_label: str, key: str) -> ReportFolder:
    return ReportFolder(report_base(outputs, period_label) / key)


def report_folders(outputs: Path, period_label: str) -> list[ReportFolder]:
    """The report folders of a period that hold a draft."""
    base = report_base(outputs, period_label)
    return [ReportFolder(p.parent.parent) for p in sorted(base.glob(f"*/{DRAFT_DIR}/{SNAPSHOT}"))]


# ---------------------------------------------------------------- the inputs side


def unit_inputs(inputs: Path, unit: str) -> Path:
    """inputs/<unit>/: the unit's register exports."""
    return Path(inputs) / unit


def aliases_file(inputs: Path) -> Path:
    """inputs/aliases.yaml: an office's own header wordings (optional)."""
    return Path(inputs) / "aliases.yaml"


NARRATIVES_DIR = "narratives"
# A report's narrative: the Word document the analyst writes (.docx; .doc, .odt and .rtf are
# converted with LibreOffice), or the older YAML file. One of them per report.
NARRATIVE_SUFFIXES = (".docx", ".doc", ".odt", ".rtf", ".yaml")
ANNEX_PATTERN = "phu_luc_*"


def _report_name(period_label: str, unit: str | None) -> str:
    return period_label if unit is None else f"{period_label}_{unit}"


def narrative_file(
    inputs: Path, period_label: str, unit: str | None, suffix: str = ".yaml"
) -> Path:
    """inputs/narratives/<period label>.yaml (district) or <period label>_<unit>.yaml; with
    ``suffix=".docx"`` the Word narrative (inputs/narratives/2024-03-01_2024-05-31.docx)."""
    name = _report_name(period_label, unit)
    return Path(inputs) / NARRATIVES_DIR / f"{name}{suffix}"


def narrative_files(inputs: Path, period_label: str, unit: str | None) -> list[Path]:
    """The narrative files that exist for a report (more than one is a mistake to report)."""
    found = (narrative_file(inputs, period_label, unit, s) for s in NARRATIVE_SUFFIXES)
    return [path for path in found if path.is_file()]


def annex_dir(inputs: Path, period_label: str, unit: str | None) -> Path:
    """inputs/narratives/<period label>/ (district) or <period label>_<unit>/: the analyst's
    annexes, phu_luc_*.docx, composed in name order after the report's own annex."""
    return Path(inputs) / NARRATIVES_DIR / _report_name(period_label, unit)


def annex_files(inputs: Path, period_label: str, unit: str | None) -> list[Path]:
    """The annex files in name order, numbers read as numbers (phu_luc_2 before phu_luc_10, as
    the analyst numbers them); lock files such as ~$phu_luc_01.docx are not annexes."""
    folder = annex_dir(inputs, period_label, unit)
    return sorted(
        (p for p in folder.glob(ANNEX_PATTERN) if p.is_file()), key=lambda p: natural_key(p.name)
    )
