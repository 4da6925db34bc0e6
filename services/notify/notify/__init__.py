"""notify: e-mail for every step a person should hear about, delivered once, never lost."""
