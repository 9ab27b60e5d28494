"""X (Twitter), through the X API v2 (see network.py)."""
