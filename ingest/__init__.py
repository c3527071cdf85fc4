"""Strategigraf ingestion: corpora → parsed document trees → validated RDF graph → embeddings and indexes."""
