"""Residents' accounts: sign-up and sign-in by phone and one-time code, password
reset by code, accounts staff open for elderly residents with printed one-time
sign-in slips, and the link from an account to its register record, verified by
the community's staff (docs/architecture.md, "Accounts")."""
