"""Sign-in with GitHub and Google: httpx-oauth for the OAuth 2 exchange, PyJWT for
Google's id_token."""
