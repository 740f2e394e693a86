"""The Remnawave panel (API v3, contract 3.4.x) behind the `VpnPanel` port."""
