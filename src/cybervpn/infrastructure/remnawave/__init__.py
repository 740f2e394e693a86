"""The Remnawave panel (API v3, contract 3.4.x): an adapter per capability behind
the fleet ports, and the provisioning port of subscriptions."""
