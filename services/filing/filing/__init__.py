"""filing: products, variants, economic data, patent declarations and filing numbers."""
