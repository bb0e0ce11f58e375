"""Side-by-side benchmark of the rendered service against bare FastAPI: ``python -m bench``."""
