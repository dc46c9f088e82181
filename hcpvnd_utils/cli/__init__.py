"""The ``hcpvnd`` command line, on top of everything: option plumbing over one library call per
command, and the only place that prints. ``main`` (in ``main``) is the console script."""
