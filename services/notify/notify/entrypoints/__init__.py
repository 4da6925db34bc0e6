"""notify's entrypoints layer."""
