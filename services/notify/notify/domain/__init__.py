"""notify's domain layer."""
