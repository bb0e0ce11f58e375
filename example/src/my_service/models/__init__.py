"""Tables, one module per resource. Importing this package puts every table in ``Base.metadata``,
which migrations are generated from and checked against: list each new module here. (A
feature's own tables live in its folder and are imported with it.)"""

from .items import ItemRecord

__all__ = ["ItemRecord"]
