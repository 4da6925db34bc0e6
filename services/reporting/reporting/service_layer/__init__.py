"""reporting's service_layer layer."""
