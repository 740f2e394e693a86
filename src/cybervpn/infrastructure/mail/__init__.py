"""E-mail: SMTP, or the sandbox mailbox in development."""
