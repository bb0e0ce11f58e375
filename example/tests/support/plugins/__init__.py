"""Fixtures a feature brings to every test, one module per feature (``database.py``: a database
for the session, empty tables for each test). ``conftest.py`` loads every module here, so a
feature's fixtures come and go with its file."""
