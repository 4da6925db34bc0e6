"""`python -m review serve|consume|relay|migrate`."""

import sys

from platform_shared.cli import main
from review.service import definition

sys.exit(main(definition))
