"""Residents' pacts and compound conventions: drafts, comments, adoption, filing."""
