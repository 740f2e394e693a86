"""The VPN fleet: VPN users and servers, as the Remnawave panel holds them."""
