"""A stand-in for Telegram in development and tests: signed sign-in data, and the
Bot API methods we call (messages, Stars invoices and payments)."""
