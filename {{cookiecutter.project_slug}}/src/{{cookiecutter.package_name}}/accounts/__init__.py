"""Accounts: users who log in with a password, and the tokens this service issues them.

An access token is a short-lived JWT signed with the service's own key (``keys.py``), verified
here by the bearer scheme and elsewhere through ``/.well-known/jwks.json``. A refresh token is
an opaque random string, kept only as a hash, rotated on every use; a rotated one presented
again revokes its whole family (``refresh_tokens.py``, RFC 9700). For first-party clients: a
third party's users belong with an identity provider (the ``jwt`` answer).
"""
