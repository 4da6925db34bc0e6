"""notify's adapters layer."""
