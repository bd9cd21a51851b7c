"""Complaints, repairs, callbacks and emergencies: lifecycle steps, deadlines and search.

`clock` is the pure deadline arithmetic, `deadlines` reads a record's events into its
deadlines, `lifecycle` is every recording step, `search` finds records by their text.
"""
