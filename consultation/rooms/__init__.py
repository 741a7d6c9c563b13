"""Live deliberation rooms: a records `Meeting` held with a room (issue 11)."""
