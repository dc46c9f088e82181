# Fixture notebooks under tests/data are inputs for the runner's tests, not notebooks to check.
collect_ignore_glob = ["data/*"]
