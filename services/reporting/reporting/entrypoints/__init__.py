"""reporting's entrypoints layer."""
