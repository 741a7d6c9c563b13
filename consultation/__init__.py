"""Matters and their procedures, meetings and live rooms, ballots and tallies, disclosures."""
