"""identity's entrypoints layer."""
