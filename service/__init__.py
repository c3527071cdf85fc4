"""Strategigraf service: FastAPI over one loaded build generation (search, browsing, overlaps, SPARQL, pages)."""
