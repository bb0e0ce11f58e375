"""The request pipeline: one pure-ASGI layer (``layer.py``) calling small stages, each one
concern (``stage.py``), in one declared order (``order.py``). ``core.py`` builds the service's
own stages from its settings; features add theirs."""
