"""The guide (Spredningsguiden) as validated data: model and loader."""
