"""The Meta Graph API core shared by Facebook and Instagram: the client, errors, usage
headers, OAuth and webhook helpers. Nothing here publishes: each network does."""
