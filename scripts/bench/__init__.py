"""`make bench`: the project's speed, as ratios measured side by side in one run (see
scripts/benchmark.py)."""
