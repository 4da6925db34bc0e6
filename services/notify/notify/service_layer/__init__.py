"""notify's service_layer layer."""
