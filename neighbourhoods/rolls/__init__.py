"""Voter rolls (选民名册): who counts, once, with which head and area, on a date.

- ``domain/``: the counting rules in pure Python (no Django), one module per kind of
  roll; each module's docstring names the law it encodes.
- ``scopes``: the kinds of place or body a roll is drawn for (community, compound, …),
  the one home of those choices (ballots store them too).
- ``selectors``: reads the register for a scope and lets the domain count it
  (``roll_snapshot``).

This file imports nothing, so the pure domain can be imported without Django set up.
"""
