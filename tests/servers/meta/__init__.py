"""A local server answering like Meta's Graph API (OAuth, Pages, comments, insights,
webhooks), for the Facebook (and Instagram) connectors' tests."""
