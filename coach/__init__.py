"""coach: a coaching assistant for Marketing and Sales teams that work as one."""

__version__ = "0.1.0"
