"""The Telegram adapter: updates to engine inputs, replies and nudges to Bot API calls."""
