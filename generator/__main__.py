"""`python -m generator`: runs the command line (generator.cli)."""

import sys

from generator import collector

collector.defer()  # before the imports: see generator/collector.py

from generator.cli import main  # noqa: E402

sys.exit(main())
