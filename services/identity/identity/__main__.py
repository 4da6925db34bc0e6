"""`python -m identity serve|consume|relay|migrate`."""

import sys

from identity.service import definition
from platform_shared.cli import main

sys.exit(main(definition))
