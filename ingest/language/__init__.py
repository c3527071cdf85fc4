"""Danish text below the structure: its words (:mod:`ingest.language.words`) and its sentences
(:mod:`ingest.language.sentences`), each found one way for the whole project."""
