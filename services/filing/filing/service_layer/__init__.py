"""filing's service_layer layer."""
