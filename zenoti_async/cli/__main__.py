"""``python -m zenoti_async.cli``: the ``zenoti-async`` command."""

import sys

from zenoti_async.cli import main

sys.exit(main())
