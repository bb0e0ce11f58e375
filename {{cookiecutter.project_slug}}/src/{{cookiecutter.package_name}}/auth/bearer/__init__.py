"""Bearer tokens: JWTs verified here, with an identity provider's keys (``scheme.py``) or, when
the service issues its own (accounts), with the service's keys."""
