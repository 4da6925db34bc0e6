"""`python -m notify serve|consume|relay|migrate`."""

import sys

from notify.service import definition
from platform_shared.cli import main

sys.exit(main(definition))
