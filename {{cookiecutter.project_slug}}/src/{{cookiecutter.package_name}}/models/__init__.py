"""Tables, one module per resource. Importing this package puts every table in ``Base.metadata``,
which migrations are generated from and checked against: list each new module here."""

from .items import ItemRecord

__all__ = ["ItemRecord"]
