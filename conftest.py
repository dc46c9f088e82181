"""pytest, for `make test` and for a bare `pytest --nbval-lax notebooks/`."""

import os
import tempfile

# Fixture notebooks under tests/data are inputs for the runner's tests, not notebooks to check.
collect_ignore_glob = ["tests/data/*"]


def pytest_configure(config):
    # The notebooks run with their default parameters: their letters, ledger and reports go to a
    # temporary folder, never into the checkout's outputs/.
    os.environ.setdefault("HCPVND_OUTPUTS", tempfile.mkdtemp(prefix="hcpvnd-test-outputs-"))
