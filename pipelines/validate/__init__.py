"""validate: parsed tables → clean records, quarantined rows, total rows and issues."""
