"""review's service_layer layer."""
