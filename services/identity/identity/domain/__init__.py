"""identity's domain layer."""
