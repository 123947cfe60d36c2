"""Storage: the SQL implementation of the engine's unit of work (its repositories), and its migrations."""

from storage.database import Database, default_database_url, normalize_url

__all__ = ["Database", "default_database_url", "normalize_url"]
