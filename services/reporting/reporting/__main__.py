"""`python -m reporting serve|consume|relay|migrate`."""

import sys

from platform_shared.cli import main
from reporting.service import definition

sys.exit(main(definition))
