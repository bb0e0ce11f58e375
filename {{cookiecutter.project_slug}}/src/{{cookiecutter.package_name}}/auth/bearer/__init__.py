"""Bearer tokens: JWTs issued by an identity provider, verified here (never issued, except by
the development helper in ``dev_tokens.py``)."""
