"""Matching: partner suggestions for organisations.

`matching.engine` is the pure-Python core (NumPy, SciPy, scikit-learn; no
Django imports), so it can be tested and benchmarked without a database.
"""
