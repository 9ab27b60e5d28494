"""Facebook Pages through the Graph API (the shared core is ``networks/meta``)."""
