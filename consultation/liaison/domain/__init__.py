"""Pure rules of the representatives' liaison (RULES.md §5): the request lifecycle
and the due-date profiles. No Django import; dates passed in."""
