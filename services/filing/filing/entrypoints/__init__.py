"""filing's entrypoints layer."""
