"""The git clean filter for notebooks/*.ipynb (``.gitattributes``): the notebook on standard
input, written to standard output without outputs or execution counts, so a notebook run and
saved in another editor than JupyterLab still reaches git clean. Set up by ``make``:

    git config filter.hcpvnd-notebook.clean \
        'if [ -x .venv/bin/python ]; then .venv/bin/python -m hcpvnd_utils.cli.strip_notebook; else cat; fi'

(without .venv — a fresh worktree — the notebook passes unchanged rather than failing).
"""

from __future__ import annotations

import json
import sys

from ..runs.lab import strip_notebook


def main() -> int:
    text = sys.stdin.read()
    try:
        notebook = json.loads(text)
    except ValueError:  # not JSON (a merge conflict being resolved): leave it to the user
        sys.stdout.write(text)
        return 0
    if not isinstance(notebook, dict) or not strip_notebook(notebook):
        sys.stdout.write(text)
        return 0
    sys.stdout.write(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
