"""Pure rules of the live rooms (no Django import)."""
