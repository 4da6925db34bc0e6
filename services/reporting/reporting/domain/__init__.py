"""reporting's domain layer."""
