"""The course's case data, as a registry of per-chapter generators.

```python
from borderdesk.cases import registry, generate
registry["orders"].columns          # every registered Dataset, by name
generate("data", ["orders"])        # write data/orders.csv (and what it needs)
```

Layout: ``common.py`` (seeded streams, Faker, calendars, time zones, CSV, content tables),
``catalog.py`` (``Dataset``, ``Column``, discovery, dependency order) and one sub-package per
chapter, ``c<NN>_<name>/``, with one module per dataset and its content tables (YAML) beside
it. Loading and validation: ``borderdesk.datasets.load(name)``.
"""

from __future__ import annotations

from .catalog import Column, Dataset, generate, in_order, of_chapter
from .common import DEFAULT_SEED, CaseDataError

__all__ = ["DEFAULT_SEED", "CaseDataError", "Column", "Dataset", "generate", "in_order", "of_chapter", "registry"]


def __getattr__(name: str):
    if name == "registry":  # found on first use: importing the package stays cheap
        from .catalog import registry

        return registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
