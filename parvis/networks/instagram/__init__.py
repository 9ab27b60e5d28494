"""Instagram professional accounts: through a Facebook Page (Facebook Login) or with
Instagram Login. See ``network.py``."""
