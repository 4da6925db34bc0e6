"""filing's domain layer."""
