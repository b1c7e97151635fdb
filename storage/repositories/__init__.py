"""All SQL lives here, one module per domain; services call these functions."""
