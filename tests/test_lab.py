"""JupyterLab as an analyst uses it: a real Jupyter server, a notebook run through its kernel and
saved through its REST API, then git asked what changed. Names of families must never reach a
file git tracks, whichever folder JupyterLab was opened in."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from hcpvnd_utils.runs.lab import prepare_workspace

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_CONFIG = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
pytestmark = pytest.mark.slow


def git(project: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def project(tmp_path) -> Path:
    """A git checkout of the project as committed, with this working tree's notebooks and git
    settings on top (what a clone made from this tree would hold)."""
    project = tmp_path / "project"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(project)], check=True)
    for name in (".gitignore", ".gitattributes"):
        shutil.copy(ROOT / name, project / name)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, project / "notebooks" / notebook.name)
    git(project, "add", "-A")
    git(
        project,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "tree",
        "--allow-empty",
    )
    assert git(project, "status", "--porcelain") == ""
    return project


class Server:
    """``jupyter server`` as ``jupyter lab`` starts it (same config files), on a free port."""

    def __init__(self, root: Path, project: Path, home: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = uuid.uuid4().hex
        env = {
            **os.environ,
            "HCPVND_HOME": str(project),
            "JUPYTER_CONFIG_DIR": str(home / "config"),  # no personal config of the tester
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        }
        env.pop("HCPVND_OUTPUTS", None)  # outputs/ of the project, as for the analyst
        command = [
            sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={self.port}",
            f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={self.token}",
            "--ServerApp.port_retries=0", "--allow-root",
        ]  # fmt: skip
        self.log = open(home / "server.log", "w")
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=self.log, cwd=root
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.call("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the Jupyter server did not start")

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read()
        return json.loads(text) if text else {}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def run_all_and_save(server: Server, path: str, parameters: str) -> dict:
    """What an analyst does in JupyterLab: set the parameters, Run All, Save — the cells run in
    the server's kernel, the notebook with its outputs is saved through the contents API."""
    from tornado.httpclient import HTTPRequest
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    model = server.call("GET", f"/api/contents/{path}?content=1")
    notebook = model["content"]
    for cell in notebook["cells"]:
        if "parameters" in cell["metadata"].get("tags", []):
            cell["source"] = parameters
    session = server.call("POST", "/api/sessions", {
        "path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"},
    })  # fmt: skip
    kernel, session_id = session["kernel"]["id"], uuid.uuid4().hex

    async def execute_all():
        url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels?session_id={session_id}"
        request = HTTPRequest(url, headers={"Authorization": f"token {server.token}"})
        socket_ = await websocket_connect(request)
        for number, cell in enumerate(c for c in notebook["cells"] if c["cell_type"] == "code"):
            cell["outputs"] = await _execute(socket_, session_id, cell["source"])
            cell["execution_count"] = number + 1
        socket_.close()

    IOLoop.current().run_sync(execute_all, timeout=300)
    server.call("DELETE", f"/api/sessions/{session['id']}")
    server.call(
        "PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json", "content": notebook}
    )
    return notebook


async def _execute(socket_, session_id: str, code: str) -> list[dict]:
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "username": "analyst",
              "session": session_id, "date": "", "version": "5.3"}  # fmt: skip
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}  # fmt: skip
    message = {"header": header, "parent_header": {}, "metadata": {}, "content": content,
               "channel": "shell", "buffers": []}  # fmt: skip
    await socket_.write_message(json.dumps(message))
    outputs = []
    while True:
        reply = json.loads(await socket_.read_message())
        if reply.get("parent_header", {}).get("msg_id") != msg_id or reply["channel"] != "iopub":
            continue
        kind, body = reply["msg_type"], reply["content"]
        if kind == "status" and body["execution_state"] == "idle":
            return outputs
        if kind == "stream":
            outputs.append({"output_type": "stream", "name": body["name"], "text": body["text"]})
        elif kind in ("execute_result", "display_data"):
            output = {
                "output_type": kind,
                "data": body["data"],
                "metadata": body.get("metadata", {}),
            }
            if kind == "execute_result":
                output["execution_count"] = body["execution_count"]
            outputs.append(output)
        elif kind == "error":
            outputs.append({"output_type": "error", **body})


def letters(period: str) -> str:
    """The parameters cell as the analyst edits it."""
    return (
        f'unit: str = "phuoc-quang"\nperiod: str = "{period}"\ninputs: str = ""\n'
        'outputs: str = ""\nledger: str = ""\nregenerate: bool = False\n'
    )


def _shown(notebook: dict) -> str:
    return json.dumps([c.get("outputs", []) for c in notebook["cells"]], ensure_ascii=False)


def test_make_sets_up_the_save_hook_for_this_environment():
    settings = json.loads(JUPYTER_CONFIG.read_text(encoding="utf-8"))
    assert (
        settings["ContentsManager"]["pre_save_hook"]
        == "hcpvnd_utils.runs.lab.strip_outputs_on_save"
    )


def test_hcpvnd_lab_works_on_private_copies_and_git_sees_nothing(project, tmp_path):
    workspace = prepare_workspace(project / "outputs", project / "notebooks")
    assert workspace.copied == ["district_report.ipynb", "phan_tich.ipynb", "unit_letters.ipynb"]
    assert oct(workspace.folder.stat().st_mode & 0o777) == "0o700"
    server = Server(workspace.folder, project, tmp_path)
    try:
        ran = run_all_and_save(server, "unit_letters.ipynb", letters("2024-09"))
    finally:
        server.stop()
    assert "letters/khai_sinh/" in _shown(ran)  # the run made and listed letters (names)
    saved = json.loads((workspace.folder / "unit_letters.ipynb").read_text(encoding="utf-8"))
    assert "letters/khai_sinh/" in _shown(saved)  # the private copy keeps the run's record
    assert git(project, "status", "--porcelain") == ""  # nothing git tracks changed
    again = prepare_workspace(project / "outputs", project / "notebooks")
    assert again.kept == workspace.copied  # the analyst's work stays


def test_a_lab_opened_on_the_tracked_notebooks_saves_no_name(project, tmp_path):
    server = Server(project / "notebooks", project, tmp_path)
    try:
        ran = run_all_and_save(server, "unit_letters.ipynb", letters("2024-09"))
        copy = server.call("POST", "/api/contents", {"copy_from": "unit_letters.ipynb"})["path"]
        extra = run_all_and_save(server, copy, letters("2024-10"))  # File › Duplicate, Run All
    finally:
        server.stop()
    assert "letters/khai_sinh/" in _shown(ran) and "letters/khai_sinh/" in _shown(extra)
    assert copy.startswith("unit_letters-Copy")
    for name in ("unit_letters.ipynb", copy):
        saved = json.loads((project / "notebooks" / name).read_text(encoding="utf-8"))
        assert all(not c.get("outputs") for c in saved["cells"]), name
    changed = git(project, "status", "--porcelain")
    assert changed.split() == ["M", "notebooks/unit_letters.ipynb"]  # the parameters, only
    added = [line for line in git(project, "diff").splitlines() if line.startswith("+")]
    assert not [line for line in added if ".docx" in line or 'execution_count": 1' in line]


def test_git_stores_the_projects_notebooks_without_outputs_whatever_saved_them(project):
    """Another editor saved the tracked notebook with outputs: git's clean filter (set up by
    make, .gitattributes) stores it without them, so nothing of the run reaches a commit."""
    git(project, "config", "filter.hcpvnd-notebook.clean",
        f"{sys.executable} -m hcpvnd_utils.cli.strip_notebook")  # fmt: skip
    path = project / "notebooks" / "unit_letters.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "015_x.docx\n"}]
            cell["execution_count"] = 3
    path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    git(project, "add", "notebooks/unit_letters.ipynb")
    stored = json.loads(git(project, "show", ":notebooks/unit_letters.ipynb"))
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in stored["cells"] if c["cell_type"] == "code")  # fmt: skip
    assert git(project, "diff", "--cached") == ""  # the same notebook as committed


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_stopping_hcpvnd_lab_stops_jupyterlab(tmp_path):
    """A kill of the command the analyst started (a terminal closed, a service stopped) must
    not leave a Jupyter server serving the private notebooks."""
    outputs = tmp_path / "outputs"
    lab = subprocess.Popen(
        [str(Path(sys.executable).with_name("hcpvnd")), "lab", "--no-browser",
         "--outputs", str(outputs)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "jupyter" not in _cmdline(lab.pid) or "lab" not in _cmdline(lab.pid):
            assert lab.poll() is None and time.monotonic() < deadline, _cmdline(lab.pid)
            time.sleep(0.2)
        lab.terminate()
        lab.wait(timeout=60)
        time.sleep(0.5)
        serving = [pid for pid in _pids() if str(outputs / "so_tay") in _cmdline(pid)]
        assert serving == []
    finally:
        if lab.poll() is None:
            lab.kill()
        for pid in _pids():  # tidy up whatever happened
            if str(outputs / "so_tay") in _cmdline(pid):
                os.kill(pid, signal.SIGKILL)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


class LabCommand(Server):
    """``hcpvnd lab --no-browser --outputs DIR`` as the analyst types it, from the project's top
    folder; the port and token come from a Jupyter config file of the test's own."""

    def __init__(self, outputs: Path, project: Path, home: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = uuid.uuid4().hex
        (home / "config").mkdir(parents=True)
        settings = {"ServerApp": {"port": self.port, "port_retries": 0},
                    "IdentityProvider": {"token": self.token}}  # fmt: skip
        (home / "config" / "jupyter_server_config.json").write_text(json.dumps(settings))
        env = {
            **os.environ,
            "HCPVND_HOME": str(project),
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        }
        env.pop("HCPVND_OUTPUTS", None)
        command = [str(Path(sys.executable).with_name("hcpvnd")), "lab", "--no-browser",
                   "--outputs", str(outputs)]  # fmt: skip
        self.log = open(home / "server.log", "w")
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=self.log, cwd=project
        )
        self._wait()


def test_hcpvnd_lab_with_an_outputs_folder_outside_the_project_works_in_it(project, tmp_path):
    """``--outputs DIR``: the notebooks' empty ``outputs`` writes letters and the ledger in DIR,
    and the copies saved in DIR/so_tay keep what they showed (DIR is the outputs folder)."""
    outputs = tmp_path / "elsewhere" / "ket_qua"
    server = LabCommand(outputs, project, tmp_path / "home")
    try:
        ran = run_all_and_save(server, "unit_letters.ipynb", letters("2024-09"))
    finally:
        server.stop()
    assert "letters/khai_sinh/" in _shown(ran)
    made = outputs / "2024-09" / "phuoc-quang"
    assert list((made / "letters").rglob("*.docx")) and (outputs / "ledger.sqlite").is_file()
    assert not (project / "outputs").exists() or not list((project / "outputs").rglob("*.docx"))
    assert not (project / "outputs" / "ledger.sqlite").exists()
    saved = json.loads((outputs / "so_tay" / "unit_letters.ipynb").read_text(encoding="utf-8"))
    assert "letters/khai_sinh/" in _shown(saved)  # the run's record, kept in the private copy
    assert git(project, "status", "--porcelain") == ""
