"""A local server that behaves like the X API v2 for what Parvis uses (see app.py).

Run it as its own process: ``python -m tests.servers.x --port 0``; it prints the
port it listens on, alone on the first line of its standard output.
"""
