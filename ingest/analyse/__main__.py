"""``python -m ingest.analyse [BUILD_DIR] [LABELS]``: container scores of a build against judged container pairs
(default tests/data/eval/own_overlaps.json; see docs/overlaps.md)."""

from ingest.analyse.overlap_detection import main

raise SystemExit(main())
