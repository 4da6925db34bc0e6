"""review's adapters layer."""
