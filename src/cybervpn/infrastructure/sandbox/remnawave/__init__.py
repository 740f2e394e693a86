"""A Remnawave-compatible panel (API v3, contract 3.4.x), state in memory."""
