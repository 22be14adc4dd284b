"""``python -m signpost``: scan, eval, check and lint, mirroring the ``signpost`` command-line tool."""

import sys

from .cli import main

sys.exit(main())
