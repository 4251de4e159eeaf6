"""How models look as JSON-able dicts, one module per area, for the API and the pages alike.
Imports nothing from contest.views."""
