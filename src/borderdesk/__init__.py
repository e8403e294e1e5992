"""BorderDesk: a Jupyter course for cross-border e-commerce customer service."""

__version__ = "0.1.0"
