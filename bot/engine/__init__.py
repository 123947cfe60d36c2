"""The conversation engine: transport-free, over a unit of work; see `engine.py` for the way in."""
