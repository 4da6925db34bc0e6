"""identity's service_layer layer."""
