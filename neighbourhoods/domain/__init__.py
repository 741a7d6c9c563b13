"""Pure-Python domain rules of the register (no Django imports).

Modules here take plain facts (frozen dataclasses) and a date, and return plain
results, so they can be tested exhaustively without a database:

- ``rolls``: voter rolls (who counts, with which head-count and area, on a date).
"""
