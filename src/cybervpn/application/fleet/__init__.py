"""Fleet use cases: staff run VPN users and servers through the panel."""
