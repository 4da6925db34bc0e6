"""identity's adapters layer."""
