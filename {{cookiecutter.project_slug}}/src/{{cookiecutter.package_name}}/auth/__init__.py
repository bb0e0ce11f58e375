"""Who is calling, and what they may do.

The pipeline's ``auth`` stage checks the credentials a request presents, once, through the
schemes listed in ``features.py``: a request without credentials goes on anonymous, one with bad
credentials is answered 401 before any handler runs. Routes say what they need with
``require_scopes`` (``scopes.py``); handlers read the caller as an ``Identity``.
"""
