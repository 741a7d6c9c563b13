"""Pure-Python domain of consultation: no Django import anywhere in this package.

``rules`` is the public entry point of the decision-rule engine (民法典第二百七十八条,
城市居民委员会组织法第九条 and the other bodies' rules, versioned by decision date);
``thresholds`` is the exact-arithmetic engine it is built on, ``floors`` the
per-community settings that may tighten but never loosen a national-law floor, and
``units`` the exact 0.01 m² area unit. Each module's docstring names the law it encodes.
"""
