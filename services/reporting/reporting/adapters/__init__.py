"""reporting's adapters layer."""
