"""Pure rules of community duties (RULES.md §7): no Django import."""
