"""`python -m filing serve|consume|relay|migrate`."""

import sys

from filing.service import definition
from platform_shared.cli import main

sys.exit(main(definition))
