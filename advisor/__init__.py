"""ElastiCache decision and cost advisor: pure, typed functions that take data and return data."""

__version__ = "0.1.0"
