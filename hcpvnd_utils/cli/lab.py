"""``hcpvnd lab``: JupyterLab on the analyst's own copies of the notebooks (outputs/so_tay/)."""

from __future__ import annotations

import os
import subprocess
import sys

from ..runs.lab import jupyter_lab, lab_environment, prepare_workspace
from .common import io_options, places


def add_parsers(sub) -> None:
    p = sub.add_parser("lab", help="mở JupyterLab với bản sao các sổ tay trong outputs/so_tay/")
    io_options(p, ledger=False, inputs=False)
    p.add_argument("--no-browser", action="store_true", help="không tự mở trình duyệt")
    p.set_defaults(run=lab_command)


def lab_command(args) -> int:
    where = places(args)
    workspace = prepare_workspace(where.outputs)
    for name in workspace.copied:
        print(f"Đã chép sổ tay {name} vào {workspace.folder}.")
    for name in workspace.kept:
        print(
            f"Giữ nguyên bản {name} đang có trong {workspace.folder} (muốn lấy bản mới: xóa tệp đó)."
        )
    print(
        f"Mở JupyterLab trong {workspace.folder}: sổ tay chạy và lưu ở đây (thư mục riêng, có tên "
        "người dân), không ghi vào notebooks/ của dự án. Dừng JupyterLab: Ctrl-C hai lần."
    )
    command = jupyter_lab()
    if command is None:
        print(
            "Không tìm thấy JupyterLab: chạy “make lab” (hoặc pip install jupyterlab).",
            file=sys.stderr,
        )
        return 2
    options = ["--no-browser"] if args.no_browser else []
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a container's root: Jupyter refuses it
        options.append("--allow-root")
    os.environ.update(lab_environment(where.outputs))  # the server and its kernels inherit it
    argv = [command, "lab", f"--ServerApp.root_dir={workspace.folder}", *options]
    if os.name == "posix":  # JupyterLab takes this process's place: a kill or Ctrl-C stops it
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command, argv)
    return subprocess.call(argv)
