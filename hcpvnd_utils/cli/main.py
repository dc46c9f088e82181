"""The ``hcpvnd`` command: the registry of commands, and our errors turned into a Vietnamese
message and an exit code. Exit codes: 0 done; 1 done but some rows or units need attention;
2 could not run (configuration, template, unreadable input); 3 a bug (details in a log file).

Each command family is one module with ``add_parsers(sub)``, which adds its commands and sets
the function that runs each; this module only lists them. Nothing imports the command line.
"""

from __future__ import annotations

import sys
import traceback

from .. import layout
from ..errors import HcpvndError
from ..messages import render
from ..storage import StorageError
from . import (
    batch,
    delivery,
    demo,
    lab,
    ledger,
    letters,
    narrative,
    purge,
    report,
    templates,
    validate,
)
from .common import Parser

COMMAND_FAMILIES = (
    validate, letters, batch, templates, narrative, report, delivery, purge, ledger, lab, demo,
)  # fmt: skip


def build_parser() -> Parser:
    parser = Parser(
        prog="hcpvnd",
        description="Thư chúc mừng, thư chia buồn và báo cáo cho mô hình “Hành chính phục vụ người dân”.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    for family in COMMAND_FAMILIES:
        family.add_parsers(sub)
    return parser


def command_names() -> list[str]:
    """Every command as typed: "validate", "letters", …, "templates check"."""
    names = []
    for name, parser in _subcommands(build_parser()).items():
        inner = _subcommands(parser)
        names += [f"{name} {action}" for action in inner] if inner else [name]
    return names


def _subcommands(parser) -> dict:
    for action in parser._actions:
        if getattr(action, "choices", None) and hasattr(action, "_name_parser_map"):
            return dict(action.choices)
    return {}


def main(argv: list[str] | None = None) -> int:
    _utf8_console()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except HcpvndError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu. Chạy lại lệnh để làm tiếp phần còn thiếu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except OSError as exc:
        print(StorageError.from_os(exc).message, file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not a data problem: keep the details for the developers
        print(_crash_report(exc, getattr(args, "outputs", None)), file=sys.stderr)
        return 3


def _utf8_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _crash_report(exc: Exception, outputs) -> str:
    """Write the traceback to the crash log of the outputs folder the command was given (else
    the project's, else the system's temporary folder) and say where; never the traceback
    itself on the console (it may quote a cell)."""
    from ..safeio import atomic_write_text

    details, reasons = traceback.format_exc(), []
    places = [layout.resolve(outputs, layout.outputs_dir())] if outputs else []
    places += [layout.outputs_dir(), None]
    for place in places:
        log = layout.crash_log(place) if place is not None else layout.spare_crash_log()
        try:
            atomic_write_text(log, details)
        except OSError as error:
            reasons.append(StorageError.from_os(error, log).fields["reason"])
            continue
        return render("E-BUG-01", log=log)
    return render("E-BUG-02", kind=type(exc).__name__, reason=reasons[-1] if reasons else "")
