"""Model serving: the model of the ``{{ cookiecutter.project_slug }}-model`` package (``model/``)
behind ``POST /api/v1/predict``.

- ``feature.py``: loads the model in each worker (or once before the fork, with
  ``MODEL_PRELOAD``); the service is not ready until it is loaded;
- ``inference.py``: predictions in a bounded pool of threads, off the event loop;
  ``batching.py``: the batches of requests waiting for a thread merged into one model call;
- ``routes.py``: the prediction endpoint; ``metrics.py``: what it counts.
"""
