"""End-to-end tests: the public API through the gateway, services as separate processes."""
