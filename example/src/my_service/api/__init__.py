"""HTTP routes: unversioned probes in ``health``, the versioned API in ``v1``."""
