"""``python -m hcpvnd_utils`` is the ``hcpvnd`` command."""

import sys

from .cli.main import main

sys.exit(main())
