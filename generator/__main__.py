"""`python -m generator`: runs the command line (generator.cli)."""

import sys

from generator.cli import main

sys.exit(main())
