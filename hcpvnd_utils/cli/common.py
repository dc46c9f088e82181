"""What every command shares: a parser that speaks Vietnamese, the folder options, and turning
those options into the places a run uses."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..layout import Places

ARGPARSE_TEXTS = [  # argparse speaks English; a clerk reads Vietnamese
    (r"the following arguments are required: (.*)", r"thiếu tùy chọn bắt buộc: \1"),
    (r"argument (\S+): invalid int value: '(.*)'", r"tùy chọn \1: “\2” phải là một số nguyên"),
    (
        r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)",
        r"không có “\2”; chọn một trong: \3",
    ),
    (r"unrecognized arguments: (.*)", r"không hiểu: \1"),
    (r"argument (\S+): expected one argument", r"tùy chọn \1 cần một giá trị"),
]
PERIOD_HELP = "kỳ: 2024-09, 2024-Q3, 2024 hoặc 2024-03-01..2024-05-31"
UNIT_HELP = "mã đơn vị, ví dụ phuoc-quang"


class Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(
            usage, actions, groups, "Cách dùng: " if prefix is None else prefix
        )


class Parser(argparse.ArgumentParser):
    """Usage errors in Vietnamese, exit code 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._optionals.title = "tùy chọn"
        self._positionals.title = "tham số"
        self.add_argument("-h", "--help", action="help", help="xem hướng dẫn này")

    def error(self, message):
        for pattern, text in ARGPARSE_TEXTS:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, text, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"Lệnh chưa đúng: {message}. Xem thêm: {self.prog} --help\n")


def io_options(p, ledger: bool = True, inputs: bool = True) -> None:
    if inputs:
        p.add_argument("--inputs", type=Path, help="thư mục dữ liệu (mặc định: inputs/)")
    p.add_argument("--outputs", type=Path, help="thư mục kết quả (mặc định: outputs/)")
    if ledger:
        p.add_argument(
            "--ledger", type=Path, help="sổ theo dõi SQLite (mặc định: outputs/ledger.sqlite)"
        )


def places(args) -> Places:
    """The folders the options name, the project's defaults for the others."""
    return Places.resolve(
        getattr(args, "inputs", None), getattr(args, "outputs", None), getattr(args, "ledger", None)
    )
