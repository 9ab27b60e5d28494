"""Parvis: a self-hosted community management platform."""

__version__ = "0.1.0"
