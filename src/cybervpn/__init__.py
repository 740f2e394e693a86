"""CyberVPN backend."""
