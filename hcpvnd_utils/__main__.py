"""``python -m hcpvnd_utils`` is the ``hcpvnd`` command."""

import sys

from .cli import main

sys.exit(main())
