"""Password rules (OWASP ASVS 5.0 §6.2): length only, no composition rules.

The upper bound keeps one hash cheap enough that long inputs cannot be used to exhaust
the hashing workers.
"""

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
