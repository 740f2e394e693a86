"""E-mail addresses are compared in one canonical form."""


def normalize_email(email: str) -> str:
    """Lower-case and trim, so that one mailbox maps to one account."""
    return email.strip().lower()
