"""The guide (Spredningsguiden) as validated data: model, YAML reader, parser and loader."""
