"""The unit of work's repositories, one module each; they share the unit's reads (`memo.Memo`)."""
