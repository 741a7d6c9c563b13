"""The rules of residents' accounts, pure Python: one-time codes and their limits."""
