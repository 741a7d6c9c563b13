"""Management commands of the consultation app."""
