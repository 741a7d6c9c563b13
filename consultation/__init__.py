"""Matters, procedures, meetings and live rooms, ballots and tallies, disclosures."""
