"""Prometheus metrics: the instruments, their exposition, and the worker's endpoint."""
