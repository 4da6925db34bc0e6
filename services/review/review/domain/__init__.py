"""review's domain layer."""
