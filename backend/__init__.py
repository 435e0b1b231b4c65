"""Telaraña backend: settings, graph model, stores, CLI and API."""

__version__ = "0.1.0"
