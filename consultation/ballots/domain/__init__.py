"""Pure-Python domain of ballots: no Django import anywhere in this package.

``rules`` is the public entry point of the decision-rule engine (民法典第二百七十八条,
城市居民委员会组织法第九条 and the other bodies' rules, one module per family,
versioned by decision date); ``conditions`` holds rules as data (comparators,
conditions, AND/OR expressions), ``thresholds`` evaluates them exactly, ``inputs``
reads a rule's input values from JSON or a form, ``floors`` holds the per-community
settings that may tighten but never loosen a national-law floor, and ``units`` the
exact 0.01 m² area unit. ``ballots`` validates one paper and tallies all papers;
``published`` is the digest of a published result. Each module's docstring names the
law it encodes.
"""
