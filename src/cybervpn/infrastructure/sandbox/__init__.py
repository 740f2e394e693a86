"""In-process stand-ins for outside services, speaking their real HTTP contracts.

They serve the embedded default and the tests; production configuration refuses them.
"""
