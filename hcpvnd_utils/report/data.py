"""The figures of one report, collected from the ledger, the per-unit summaries and the units
file — never typed in — through the analyst's frames (``hcpvnd_utils.frames``), so that the
report and the analysis notebook cannot disagree:

- letters per unit and event: the ledger (letters whose registration date lies in the period);
- registrations per unit and event, and why some got no letter: ``summary.json`` of the unit's
  run for the same period (``<outputs>/<period label>/<unit>/summary.json``), when there is one;
- the rollout (plan issued, launch, letters start, pilot) and the target: the units file.

``ReportData.as_dict()`` is the snapshot a report is built from; its sha256 is what an approval
records, so any change of a figure, a name or a signer is noticed after approval.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from .. import messages
from ..config import Signer, Unit, UnitsConfig
from ..delivery.figures import NO_RESPONSE, as_of_day, delivery_frame, late_letters
from ..errors import HcpvndError
from ..frames.build import figures_frame, letters_frame, monthly
from ..frames.sources import scope_of, summary_counts
from ..ledger.schema import RESPONSES
from ..periods import Period, short_date
from ..records import EVENTS

DISTRICT, UNIT = "district", "unit"
SENT, PRINTED, MADE = "gửi", "in", "làm"  # "đã gửi … thư" only when the data shows it
BROKEN = "[W-FRAMES-02]"
TYPE_ORDER = ("xã", "phường", "thị trấn", "đặc khu")


class ReportError(HcpvndError):
    """A report cannot be made (no district to report for, unreadable narrative, no draft)."""


@dataclass(frozen=True)
class Issuer:
    """The body that issues and signs the report."""

    key: str  # huyen-tuy-phuoc / phuoc-quang
    body: str  # "HUYỆN TUY PHƯỚC" (second line of the header block)
    committee: str  # "Ủy ban nhân dân huyện Tuy Phước"
    area: str  # "huyện Tuy Phước" (running text)
    place: str  # "Tuy Phước" (date line)
    signer: Signer
    recipient: str  # "Ủy ban nhân dân tỉnh Bình Định"


@dataclass
class UnitFigures:
    key: str
    type: str
    name: str
    pilot: bool
    plan_issued: date | None
    launch: date | None
    letters_start: date | None
    letters: dict[str, int]
    registrations: dict[str, int] | None = None  # None: no summary for this period
    rejected: dict[str, int] | None = None  # rows with a data error (no letter yet)
    not_eligible: dict[str, int] | None = None  # rows outside the scheme (late, re-registration)
    # letters each for several registrations (twins) and the registrations they are for, per
    # event: None when there are none (and then left out of the snapshot, whose sha256 an
    # approval made before issue 17 recorded)
    shared: dict[str, int] | None = None
    shared_cases: dict[str, int] | None = None
    # the letters' delivery (delivery.figures), per event: printed (marked final), handed over,
    # waiting (not handed over), late (waiting beyond settings.delivery_days); and the families'
    # responses to the letters handed over (tich_cuc, …, chua_ghi: none written)
    printed: dict[str, int] = field(default_factory=dict)
    handed: dict[str, int] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)
    late: dict[str, int] = field(default_factory=dict)
    responses: dict[str, int] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"  # "xã Phước Quang"

    @property
    def title(self) -> str:
        return self.full_name[:1].upper() + self.full_name[1:]  # "Xã Phước Quang"

    @property
    def total(self) -> int:
        return sum(self.letters.values())

    def documents(self, event: str) -> int:
        """Letters as sheets of paper: one letter for twins (``letters`` counts both cases)."""
        return (
            self.letters.get(event, 0)
            - (self.shared_cases or {}).get(event, 0)
            + (self.shared or {}).get(event, 0)
        )

    def implementing_on(self, day: date) -> bool:
        return self.letters_start is not None and self.letters_start <= day

    def plan_on(self, day: date) -> bool:
        return self.plan_issued is not None and self.plan_issued <= day


@dataclass
class ReportData:
    period: Period
    scope: str  # DISTRICT or UNIT
    issuer: Issuer
    units: list[UnitFigures]  # every unit the report covers (13 for the district, 1 for a unit)
    months: list[tuple[str, dict[str, int]]]  # ("2024-03", {event: letters}) from January
    target_date: date | None = None
    target_share: int = 100
    ledger_found: bool = True
    delivery_as_of: date | None = None  # the last import of a delivery sheet of these units
    delivery_days: int = 15  # settings.delivery_days: later than this, a letter is late
    late: list[dict] = field(default_factory=list)  # the late letters: reference, unit, days…
    notes: list[str] = field(default_factory=list)  # facts about the sources, for the analyst
    frames: ReportFrames | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        return self.issuer.key

    @property
    def kinds(self) -> str:
        """'xã, thị trấn' — the types of the units covered, in the usual order."""
        return kinds_phrase(u.type for u in self.units)

    def implementing(self) -> list[UnitFigures]:
        return [u for u in self.units if u.implementing_on(self.period.end)]

    def with_plan(self) -> list[UnitFigures]:
        return [u for u in self.units if u.plan_on(self.period.end)]

    def pilots(self) -> list[UnitFigures]:
        return [u for u in self.units if u.pilot]

    def sending(self) -> list[UnitFigures]:
        return [u for u in self.units if u.total > 0]

    def table_units(self) -> list[UnitFigures]:
        """The rows of the results table: units implementing by the period's end, and any unit
        with letters in the ledger."""
        return [u for u in self.units if u.implementing_on(self.period.end) or u.total > 0]

    def totals(self, name: str = "letters") -> dict[str, int]:
        """Per event, the sum over the units of ``name``: letters (the registrations given a
        letter: the dispatch's cases; ``made`` counts sheets of paper), printed, handed, waiting,
        late (those four in letters)."""
        return {e: sum(getattr(u, name).get(e, 0) for u in self.units) for e in EVENTS}

    def verb(self, event: str | None = None) -> str:
        """What the data says was done with the letters (of one event): SENT when every one was
        handed over, PRINTED when every one was printed (marked final), else MADE."""
        events = [event] if event else list(EVENTS)
        made = sum(self.made()[e] for e in events)
        handed, printed = (sum(self.totals(n)[e] for e in events) for n in ("handed", "printed"))
        if made and handed >= made:
            return SENT
        return PRINTED if made and printed >= made else MADE

    def made(self) -> dict[str, int]:
        """Per event, the letters made as sheets of paper (one for twins): what is printed and
        handed over, and what the delivery figures count."""
        return {e: self.documents(e) for e in EVENTS}

    def documents(self, event: str | None = None) -> int:
        """Letters as sheets of paper (one letter for twins), for an event or all."""
        events = [event] if event else EVENTS
        return sum(u.documents(e) for u in self.units for e in events)

    def shared(self, event: str) -> tuple[int, int]:
        """(letters each for several registrations, the registrations they are for)."""
        return (
            sum((u.shared or {}).get(event, 0) for u in self.units),
            sum((u.shared_cases or {}).get(event, 0) for u in self.units),
        )

    def share_implementing(self) -> float:
        return 100.0 * len(self.implementing()) / len(self.units) if self.units else 0.0

    def as_dict(self) -> dict:
        data = asdict(replace(self, frames=None))
        data.pop("frames")  # the same figures as tables (see ReportFrames)
        for unit in data["units"]:  # no letter for twins: the snapshot as before issue 17
            if unit["shared"] is None:
                del unit["shared"], unit["shared_cases"]
        data.pop("notes")  # messages about the sources, not figures (they name local paths)
        data["period"] = {**self.period.as_dict(), "label": self.period.label}
        return json.loads(json.dumps(data, default=_plain, ensure_ascii=False))

    def sha256(self) -> str:
        return canonical_sha256(self.as_dict())


def kinds_phrase(types) -> str:
    present = set(types)
    ordered = [t for t in TYPE_ORDER if t in present] + sorted(present - set(TYPE_ORDER))
    return ", ".join(ordered)


def canonical_sha256(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


# ---------------------------------------------------------------- who reports to whom


def issuer_for(config: UnitsConfig, unit_key: str | None) -> tuple[str, Issuer, list[Unit]]:
    """(scope, issuer, units covered). ``unit_key`` None means the district report."""
    if unit_key is None:
        agg = config.aggregator
        if agg is None:
            raise ReportError("E-REPORT-01", path=config.path, known=", ".join(config.units))
        issuer = Issuer(
            key=agg.key,
            body=f"{agg.type} {agg.name}".upper(),
            committee=f"Ủy ban nhân dân {agg.type} {agg.name}",
            area=f"{agg.type} {agg.name}",
            place=agg.place,
            signer=agg.signer,
            recipient=config.report_to,
        )
        return DISTRICT, issuer, list(config.units.values())
    unit = config.unit(unit_key)
    agg = config.aggregator  # 2024: a commune reports to its district; 2025: to the province
    recipient = f"Ủy ban nhân dân {agg.type} {agg.name}" if agg else config.report_to
    issuer = Issuer(
        key=unit.key,
        body=unit.full_name.upper(),
        committee=unit.committee,
        area=unit.full_name,
        place=unit.short_name,
        signer=unit.signer,
        recipient=recipient,
    )
    return UNIT, issuer, [unit]


# ---------------------------------------------------------------- collecting


@dataclass
class ReportFrames:
    """The frames the report's tables and charts are drawn from (``hcpvnd_utils.frames``): the
    same the analyst gets from ``hc.frames.figures`` and ``hc.frames.monthly``."""

    figures: pd.DataFrame  # one row per unit and event (frames.FIGURES)
    months: pd.DataFrame  # letters per month from January, by event (frames.monthly)
    notes: list[str] = field(default_factory=list)  # the frames' own notes on their sources
    delivery: pd.DataFrame | None = None  # per unit and event: delivery.figures.COUNTS
    late: pd.DataFrame | None = None  # the late letters (delivery.figures.LATE_COLUMNS)
    as_of: date | None = None  # the last import of a delivery sheet of the units


def collect(
    config: UnitsConfig,
    period: Period,
    unit_key: str | None,
    *,
    ledger: Path,
    outputs: Path,
) -> ReportData:
    """Every figure of the report for the district (``unit_key`` None) or one unit."""
    scope, issuer, units = issuer_for(config, unit_key)
    tables, found = report_frames(config, period, units, ledger=Path(ledger), outputs=outputs)
    agg = config.aggregator
    data = ReportData(
        period=period,
        scope=scope,
        issuer=issuer,
        units=with_delivery(unit_figures(tables.figures), tables.delivery),
        months=month_counts(tables.months),
        target_date=agg.target_date if agg else None,
        target_share=agg.target_share if agg else 100,
        ledger_found=found,
        delivery_as_of=tables.as_of,
        delivery_days=int(config.settings["delivery_days"]),
        late=tables.late.to_dict("records"),
        frames=tables,
    )
    data.notes = source_notes(data, config, Path(ledger))
    return data


def report_frames(config: UnitsConfig, period: Period, units: list[Unit], *, ledger: Path,
                  outputs: Path) -> tuple[ReportFrames, bool]:  # fmt: skip
    """The figures frame and the letters by month from January, with one read of the ledger
    (it is never created here: a report never makes an empty ledger appear; an unreadable one
    stops the report with its coded error). Also whether the ledger exists."""
    where = scope_of(config, period, units, outputs=outputs, ledger=ledger, strict=True)
    january = date(period.end.year, 1, 1)
    letters = letters_frame(where, min(period.start, january), period.end)
    figures = figures_frame(where, letters)
    months = monthly(letters, january, period.end)
    keys, days = [u.key for u in units], int(config.settings["delivery_days"])
    as_of = as_of_day(letters.attrs.get("delivery_checked", {}), keys)
    delivery = delivery_frame(letters, period.start, period.end, keys, as_of, days)
    late = late_letters(letters, period.start, period.end, as_of, days)
    found = ReportFrames(figures, months, list(where.notes), delivery, late, as_of)
    return found, letters.attrs["ledger_found"]


def unit_figures(figures: pd.DataFrame) -> list[UnitFigures]:
    """The frame's rows, a unit at a time, as the report's sentences read them."""
    found = []
    for key, rows in figures.groupby("unit", observed=True, sort=True):
        first = rows.iloc[0]
        counts = {name: dict(zip(rows["event"].astype(str), rows[name])) for name in
                  ("letters", "registrations", "rejected", "not_eligible", "shared_letters",
                   "shared_cases")}  # fmt: skip
        known = rows["registrations"].notna().all()
        shared = any(counts["shared_letters"].values())
        found.append(UnitFigures(
            key=str(key), type=str(first["unit_type"]), name=str(first["unit_name"]),
            pilot=bool(first["pilot"]), plan_issued=_day(first["plan_issued"]),
            launch=_day(first["launch"]), letters_start=_day(first["letters_start"]),
            letters=_ints(counts["letters"]),
            registrations=_ints(counts["registrations"]) if known else None,
            rejected=_ints(counts["rejected"]) if known else None,
            not_eligible=_ints(counts["not_eligible"]) if known else None,
            shared=_ints(counts["shared_letters"]) if shared else None,
            shared_cases=_ints(counts["shared_cases"]) if shared else None,
        ))  # fmt: skip
    return found


def with_delivery(units: list[UnitFigures], delivery: pd.DataFrame) -> list[UnitFigures]:
    """Each unit's delivery figures, from the delivery frame (``delivery.figures``)."""
    for unit in units:
        rows = delivery[delivery["unit"] == unit.key].set_index("event")
        for name in ("printed", "handed", "waiting", "late"):
            setattr(unit, name, _ints(rows[name].to_dict()))
        unit.responses = {code: int(rows[code].sum()) for code in (*RESPONSES, NO_RESPONSE)}
    return units


def month_counts(months: pd.DataFrame) -> list[tuple[str, dict[str, int]]]:
    """[("2024-03", {event: letters})] from the months frame."""
    return [(str(label), _ints(row.to_dict())) for label, row in months.iterrows()]


def _ints(values: dict) -> dict[str, int]:
    return {e: int(values.get(e, 0)) for e in EVENTS}


def _day(value) -> date | None:
    return None if pd.isna(value) else value.date()


def read_summary_counts(path: Path, unit: Unit, period: Period) -> dict | None:
    """The ``counts`` of a unit's summary.json for exactly this period, or None."""
    return summary_counts(path, unit, period)


def source_notes(data: ReportData, config: UnitsConfig, ledger: Path) -> list[str]:
    """What the analyst must know about the sources before trusting the figures (Vietnamese)."""
    notes = []
    if not data.ledger_found:
        notes.append(messages.render("W-REPORT-04", path=ledger))
    missing = [u for u in data.implementing() if u.registrations is None]
    if missing:
        arg = data.period.argument
        if data.scope == DISTRICT:  # every unit's letters of the period, then the report
            command, what = f"hcpvnd batch --period {arg}", "làm thư cho mọi đơn vị của kỳ"
        else:  # a commune's own report: its own run, not the whole district's
            command = f"hcpvnd letters --unit {missing[0].key} --period {arg}"
            what = "làm thư của đơn vị cho kỳ này"
        notes.append(messages.render("W-REPORT-05", units=", ".join(u.name for u in missing),
                                     command=command, what=what))  # fmt: skip
    starts = [(u.letters_start, u.name) for u in data.units if u.letters_start]
    if not data.implementing() and starts:  # a period before the model: zeros, said why
        first_day, first = min(starts)
        notes.append(messages.render("W-REPORT-07", period=data.period.vietnamese(), unit=first,
                                     day=short_date(first_day)))  # fmt: skip
    broken = [n for n in (data.frames.notes if data.frames else []) if n.startswith(BROKEN)]
    notes += broken  # a summary.json that is there but unusable: say which, and how to fix it
    start, end = config.valid_from, config.valid_to
    if (start and data.period.start < start) or (end and data.period.end > end):
        notes.append(
            messages.render("W-REPORT-06", path=config.path, start=start or "…", end=end or "…")
        )
    return notes
