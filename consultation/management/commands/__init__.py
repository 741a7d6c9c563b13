"""`manage.py decide` and the other consultation commands."""
