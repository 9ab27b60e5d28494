"""Reports: what a period's report says (content), its charts, its PDF, its schedules."""
