"""filing's adapters layer."""
