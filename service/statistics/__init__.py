"""The city's monthly statistics on invoice receipt (EBPM): a page, an API and open data."""
