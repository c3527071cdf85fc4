"""Search indexes of a build: dense vectors (FAISS), Danish keyword (BM25), and the stage that builds both."""
