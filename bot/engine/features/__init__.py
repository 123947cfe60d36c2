"""The features of the conversation, one module each; only the router imports them."""
