"""``hcpvnd templates check``: the Word templates checked before any letter is made."""

from __future__ import annotations

from pathlib import Path

from .. import layout


def add_parsers(sub) -> None:
    p = sub.add_parser("templates", help="mẫu thư")
    tsub = p.add_subparsers(dest="action", required=True, metavar="VIỆC")
    check = tsub.add_parser("check", help="kiểm tra mẫu thư trước khi làm thư")
    check.add_argument("templates", nargs="*", type=Path, metavar="MẪU",
                       help="tệp mẫu cần kiểm tra (mặc định: mọi mẫu trong thư mục mẫu)")  # fmt: skip
    check.add_argument("--templates-dir", type=Path, help="thư mục mẫu (mặc định: templates/)")
    check.add_argument(
        "--inputs",
        type=Path,
        help="thư mục có units.yaml (mặc định: inputs/): kiểm tra cả mẫu của từng quy tắc chọn mẫu "
        "(phần letters: của units.yaml)",
    )
    check.set_defaults(run=templates_check_command)


def templates_check_command(args) -> int:
    from ..letters.templates import check_paths, check_rules, misplaced_folders

    folder = layout.resolve(args.templates_dir, layout.templates_dir())
    found = check_paths(args.templates or None, folder)
    config = _units(args)
    if config is not None and not args.templates:  # every variant a rule may choose
        found += check_rules(folder, config) + misplaced_folders(folder, config)
    for problem in found:
        print(problem.message)
    errors = [p for p in found if p.severity != "warning"]
    if errors:
        print(f"\n{len(errors)} lỗi trong mẫu thư. Sửa mẫu trong Word rồi kiểm tra lại.")
        return 2
    if found:
        print(f"\nMẫu thư dùng được, nhưng có {len(found)} điểm cần xem lại (ở trên).")
        return 1
    print("Các mẫu thư đều dùng được.")
    return 0


def _units(args):
    """The units file whose rules (letters:) choose variants: the one --inputs gives (an error
    when it is not there), else inputs/units.yaml when there is one."""
    from ..config import load_units

    path = layout.units_file(layout.resolve(args.inputs, layout.inputs_dir()))
    if args.inputs is None and not path.is_file():
        return None
    return load_units(path)  # a rule naming an unknown field is refused here (E-CONF-02)
