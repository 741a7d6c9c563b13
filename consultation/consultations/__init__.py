"""Consultations (协商, RULES.md §6): topic, participants, notice, session, opinion."""
