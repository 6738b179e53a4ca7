"""Closeknit: build, keep and lean on the support network your mental health needs."""

__version__ = "0.1.0"
