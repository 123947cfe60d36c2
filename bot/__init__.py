"""spredning: a chat assistant that guides two public-sector organisations through Spredningsguiden."""
