"""review's entrypoints layer."""
