"""Securable: NIST IoT device cybersecurity guidance as data and code."""

__version__ = "0.1.0"
