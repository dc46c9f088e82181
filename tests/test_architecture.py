"""The layout rules, checked rather than hoped for: imports point one way (import-linter's
contracts in pyproject.toml), only the command line prints, one owner of the outputs tree, one
message catalogue, and notebooks that use the public surface only."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hcpvnd_utils
from hcpvnd_utils import messages

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hcpvnd_utils"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
STAGES = ("ingest", "validate", "frames", "delivery", "letters", "ledger", "runs", "report",
          "analysis", "review", "cli")  # fmt: skip


def modules(exclude: tuple[str, ...] = ()) -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if not any(p.relative_to(PACKAGE).as_posix().startswith(e) for e in exclude)
    ]


def lint_imports(package_parent: Path, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=package_parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONPATH": str(package_parent), "PATH": str(LINT_IMPORTS.parent)},
    )


def test_the_import_contracts_are_kept():
    done = lint_imports(ROOT, ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "back_import"),
    [
        ("ledger/book.py", "from ..cli import main as _up"),  # a stage importing the CLI
        ("ingest/files.py", "from ..letters import run as _up"),  # down the pipeline, up again
        ("report/data.py", "from ..validate import rules as _up"),  # the report reading rows
        ("periods.py", "from .ledger import book as _up"),  # the base using a stage
        ("frames/build.py", "from ..report import data as _up"),  # the report's source, upwards
        ("report/tables.py", "from ..frames import names as _up"),  # the report, names, registers
        ("report/charts.py", "from ..analysis import charts as _up"),  # report using analysis
    ],
)
def test_a_back_import_breaks_the_contract(tmp_path, module, back_import):
    copy = tmp_path / "hcpvnd_utils"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{back_import}\n", encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    done = lint_imports(tmp_path, tmp_path / "pyproject.toml")
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout or "broken" in done.stdout


@pytest.mark.parametrize(
    "plants",
    [
        [
            ("letters/grid.py", "from . import fieldnames as _c"),
            ("letters/fieldnames.py", "from . import grid as _c"),
        ],  # two modules of one stage
        [
            ("textnorm.py", "from . import tables as _c"),
            ("tables.py", "from . import textnorm as _c"),
        ],  # two modules of the shared base
        [
            ("periods.py", "def _later():\n    from . import wording  # noqa"),
        ],  # closing an existing import (wording uses periods), inside a function
    ],
    ids=["within a stage", "within the base", "lazy, closing an existing import"],
)
def test_a_planted_import_cycle_breaks_the_contract(tmp_path, plants):
    """The layers say nothing of two modules in one layer: the acyclic contract must."""
    copy = tmp_path / "hcpvnd_utils"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for module, line in plants:
        target = copy / module
        target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    done = lint_imports(tmp_path, tmp_path / "pyproject.toml")
    assert done.returncode != 0, done.stdout
    assert "No import cycle between the modules of a package BROKEN" in done.stdout


def test_every_stage_is_a_package_that_says_what_it_takes_and_gives():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), stage
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), stage


def _calls(tree: ast.AST, name: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_only_the_command_line_prints_or_parses_arguments():
    found = []
    for path in modules(exclude=("cli/",)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.name}:{line} print" for line in _calls(tree, "print")]
        found += [f"{path.name}:{line} input" for line in _calls(tree, "input")]
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if "argparse" in names:
                found.append(f"{path.name}:{node.lineno} argparse")
            if isinstance(node, ast.Attribute) and node.attr == "argv":
                found.append(f"{path.name}:{node.lineno} sys.argv")
    assert found == []


# names of files and folders of the outputs tree: made by layout.py, asked for everywhere else
OUTPUT_NAMES = re.compile(
    r"summary\.json|batch\.json|rejected\.xlsx|ban_in_|phe_duyet|so_lieu\.json|"
    r"\bdu_thao\b|\bda_duyet\b|lich_su|ledger\.sqlite|run\.log|kiem_tra_|loi_chuong_trinh|"
    r"so_giao_thu|\bbao_cao|bang_so_lieu|bieu_do|so_tay|phan_tich|sua_tay|du_thao|da_duyet|"
    r"nhan_dinh_mau|letters/|/letters|notebooks/|\breport/|/report\b"
)


def test_one_module_builds_the_outputs_tree():
    found = []
    for path in modules(exclude=("layout.py",)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings or node.value.startswith("[") or " " in node.value:
                    continue  # prose: a docstring or a message naming a file for the clerk
                if OUTPUT_NAMES.search(node.value):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert found == []


def test_every_code_used_is_in_the_one_catalogue_and_defined_once():
    source = (PACKAGE / "messages.py").read_text(encoding="utf-8")
    catalogue = next(
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "CATALOG"
    )
    keys = [key.value for key in catalogue.keys]
    assert len(keys) == len(set(keys)), "a code defined twice"
    used = set()
    for path in modules(exclude=("messages.py",)):
        used |= set(re.findall(r"[\"']([EWIR]-[A-Z]+-\d\d)[\"']", path.read_text(encoding="utf-8")))
    assert used, "no code found: the pattern is wrong"
    assert sorted(used - set(messages.CATALOG)) == []


def test_no_coded_message_is_worded_outside_the_catalogue():
    """ "[W-SEX-02] 3 thư …" written by hand in a module: a second wording of a code."""
    worded = re.compile(r"\[[EWIR]-[A-Z]+-\d\d\]\s")  # a code, then its words
    found = []
    for path in modules(exclude=("messages.py",)):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if worded.search(node.value):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value[:40]!r}")
    assert found == []


def test_the_letters_are_named_in_one_place():
    """The letters' titles (delivery sheet, report headings and sentences, charts) come from
    records.LETTER_TITLES; another copy drifts ("Thư chúc mừng đăng ký khai sinh")."""
    title = re.compile(r"thư (chúc mừng|chia buồn)( đăng ký)?( khai sinh| kết hôn| khai tử)?")
    found = []
    for path in modules(exclude=("records.py",)):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if title.fullmatch(node.value.strip().casefold()):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert found == []


def test_message_codes_exist_without_importing_the_modules_that_use_them():
    code = (
        "import sys; from hcpvnd_utils import messages; "
        "print(len(messages.CATALOG), 'hcpvnd_utils.review.approve' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, imported = done.stdout.split()
    assert int(count) == len(messages.CATALOG) and imported == "False"
    assert "E-APPROVE-01" in messages.CATALOG and "E-NB-10" in messages.CATALOG


def _notebook_code(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=str)
def test_the_notebooks_use_the_public_surface_only(notebook):
    imports, used = [], set()
    for source in _notebook_code(notebook):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(ast.unparse(node))
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "hc"
            ):
                used.add(node.attr)
    assert imports == ["import hcpvnd_utils as hc"]
    assert used and used <= set(dir(hcpvnd_utils)), used - set(dir(hcpvnd_utils))


def test_the_public_surface_is_importable_and_light():
    for name in hcpvnd_utils.__all__:
        assert getattr(hcpvnd_utils, name) is not None, name
    code = (
        "import sys; import hcpvnd_utils as hc; hc.run_unit; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'docxcompose') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"  # the per-unit kernel stays light


def _readme_tree() -> dict[str, str]:
    """README's annotated tree: the text of each entry of hcpvnd_utils/ (its own modules under
    "", a subpackage under its name), and the project's top folders under "/"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\nMakefile ")
    lines = readme[start : readme.index("```", start)].splitlines()
    entries: dict[str, str] = {"": "", "/": ""}
    current = "/"
    for line in lines:
        top = re.match(r"(\S+)", line)
        sub = re.match(r"  (\S+?)/?\s", line) if line.startswith("  ") and line[2] != " " else None
        if top:
            current = "/"
        elif sub:
            current = sub[1] if (PACKAGE / sub[1]).is_dir() else ""
        entries[current] = entries.get(current, "") + "\n" + line
    return entries


def test_the_readme_tree_names_every_module_and_folder():
    tree = _readme_tree()
    missing = []
    for path in modules():
        if path.name in ("__init__.py", "__main__.py"):
            continue
        parts = path.relative_to(PACKAGE).parts
        section, word = ("", parts[0]) if len(parts) == 1 else (parts[0], path.stem)
        if not re.search(rf"\b{re.escape(word)}\b", tree.get(section, "")):
            missing.append("/".join(parts))
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    folders = {f.split("/")[0] for f in tracked.stdout.split() if "/" in f}
    missing += [f"{f}/" for f in sorted(folders) if f"{f}/" not in tree["/"] and f != ".github"]
    assert missing == []


def test_the_package_docstring_names_every_module_of_the_base():
    said = hcpvnd_utils.__doc__
    base = [p.stem for p in PACKAGE.glob("*.py") if not p.name.startswith("__")]
    assert [name for name in sorted(base) if not re.search(rf"\b{name}\b", said)] == []
