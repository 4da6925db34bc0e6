"""reporting: read models built only from events; province statistics and monthly reports."""
