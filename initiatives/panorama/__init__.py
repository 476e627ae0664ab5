"""Panoramas of a selection of cases: who acted with whom (cooperation), and when (timeline)."""
