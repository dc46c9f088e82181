"""The ``hcpvnd`` command: option plumbing over the library, our errors turned into a Vietnamese
message and an exit code. Exit codes: 0 done; 1 done but some rows or units need attention;
2 could not run (configuration, template, unreadable input)."""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from pathlib import Path

from . import paths
from .errors import HcpvndError
from .storage import StorageError

COMMANDS = {}


def command(name):
    def register(func):
        COMMANDS[name] = func
        return func

    return register


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


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(
            usage, actions, groups, "Cách dùng: " if prefix is None else prefix
        )


class _Parser(argparse.ArgumentParser):
    """Usage errors in Vietnamese, exit code 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hcpvnd",
        description="Thư chúc mừng, thư chia buồn và báo cáo cho mô hình “Hành chính phục vụ người dân”.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    _validate_parser(sub)
    _letters_parser(sub)
    _batch_parser(sub)
    _templates_parser(sub)
    _report_parsers(sub)
    _purge_parser(sub)
    sub.add_parser("demo", help="chạy toàn bộ trên dữ liệu mẫu")
    return parser


def _io_options(p, ledger=True):
    p.add_argument("--inputs", type=Path, help="thư mục dữ liệu (mặc định: inputs/)")
    p.add_argument("--outputs", type=Path, help="thư mục kết quả (mặc định: outputs/)")
    if ledger:
        p.add_argument(
            "--ledger", type=Path, help="sổ theo dõi SQLite (mặc định: outputs/ledger.sqlite)"
        )


def _validate_parser(sub):
    p = sub.add_parser("validate", help="kiểm tra danh sách đăng ký, không làm thư")
    _io_options(p, ledger=False)
    p.add_argument("--unit", help="mã đơn vị, ví dụ phuoc-quang (mặc định: tất cả)")
    p.add_argument("--period", help="kỳ: 2024-09, 2024-Q3, 2024 hoặc 2024-03-01..2024-05-31")
    p.add_argument("files", nargs="*", type=Path, metavar="TỆP", help="chỉ kiểm tra các tệp này")


def _letters_parser(sub):
    p = sub.add_parser("letters", help="làm thư cho một đơn vị trong một kỳ")
    p.add_argument("--unit", required=True, help="mã đơn vị, ví dụ phuoc-quang")
    p.add_argument("--period", required=True, help="kỳ: 2024-09, 2024-Q3, 2024 hoặc từ..đến")
    _io_options(p)
    p.add_argument(
        "--regenerate", action="store_true", help="làm lại các thư chưa chốt đã làm trong kỳ này"
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="làm thêm bản PDF của các tệp in để xem trước (LibreOffice)",
    )
    p = sub.add_parser("finalize", help="chốt các thư đã in, gửi: --regenerate không làm lại nữa")
    p.add_argument("--unit", required=True, help="mã đơn vị, ví dụ phuoc-quang")
    p.add_argument("--period", required=True, help="kỳ của các thư cần chốt")
    _io_options(p)


def _batch_parser(sub):
    p = sub.add_parser("batch", help="làm thư cho mọi đơn vị trong một kỳ")
    p.add_argument("--period", required=True, help="kỳ: 2024-09, 2024-Q3, 2024 hoặc từ..đến")
    p.add_argument("--units", default="all", help="all hoặc danh sách mã, cách nhau dấu phẩy")
    p.add_argument("--jobs", type=int, help="số lượt chạy song song (mặc định: số lõi CPU)")
    _io_options(p)
    p.add_argument("--rerun-failed", action="store_true", help="chỉ chạy lại các đơn vị bị lỗi")


def _templates_parser(sub):
    p = sub.add_parser("templates", help="mẫu thư")
    tsub = p.add_subparsers(dest="action", required=True, metavar="VIỆC")
    check = tsub.add_parser("check", help="kiểm tra mẫu thư trước khi làm thư")
    check.add_argument("templates", nargs="*", type=Path, metavar="MẪU")
    check.add_argument("--templates-dir", type=Path, help="thư mục mẫu (mặc định: templates/)")


def _report_parsers(sub):
    p = sub.add_parser("report", help="báo cáo kết quả (bản dự thảo) cho huyện/tỉnh")
    p.add_argument("--period", required=True, help="kỳ: 2024-09, 2024-Q3, 2024 hoặc từ..đến")
    p.add_argument("--unit", help="báo cáo riêng của một xã (mặc định: báo cáo của huyện)")
    p.add_argument("--narrative", type=Path, help="tệp nhận định do chuyên viên viết (.yaml)")
    _io_options(p)
    p = sub.add_parser("approve", help="ghi nhận lãnh đạo đã duyệt báo cáo, làm bản chính thức")
    p.add_argument("--period", required=True, help="kỳ của báo cáo")
    p.add_argument("--unit", help="mã xã, nếu là báo cáo riêng của xã")
    p.add_argument("--by", required=True, help="họ và tên người duyệt")
    p.add_argument(
        "--accept-warnings",
        action="store_true",
        help="vẫn duyệt khi bản dự thảo được lập lúc số liệu chưa đủ (được ghi vào bản ghi duyệt)",
    )
    p.add_argument("--outputs", type=Path, help="thư mục kết quả (mặc định: outputs/)")


def _purge_parser(sub):
    p = sub.add_parser("purge", help="xóa thư và tệp in đã cũ (sổ theo dõi vẫn giữ số liệu)")
    p.add_argument("--before", required=True, help="xóa những gì làm trước ngày này (2025-01-01)")
    p.add_argument("--outputs", type=Path, help="thư mục kết quả (mặc định: outputs/)")
    p.add_argument("--ledger", type=Path, help="sổ theo dõi (mặc định: outputs/ledger.sqlite)")
    p.add_argument("--yes", action="store_true", help="không hỏi lại trước khi xóa")


def main(argv: list[str] | None = None) -> int:
    _utf8_console()
    args = build_parser().parse_args(argv)
    name = args.command if args.command != "templates" else f"templates {args.action}"
    try:
        return COMMANDS[name](args)
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
    except Exception:  # a bug, not a data problem: keep the details for the developers
        log = _write_crash_log()
        print(f"[E-BUG-01] Lỗi chương trình. Gửi tệp {log} cho bộ phận kỹ thuật.", file=sys.stderr)
        return 3


def _utf8_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _write_crash_log() -> Path:
    from .safeio import atomic_write_text

    log = paths.outputs_dir() / "loi_chuong_trinh.log"
    atomic_write_text(log, traceback.format_exc())
    return log


from . import commands as _commands  # noqa: F401  (registers the commands)
