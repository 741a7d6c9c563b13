"""Pure rules of residents' pacts (no Django): kinds, lifecycle, the clause diff."""
