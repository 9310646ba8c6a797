"""Linked-data publisher for a catalogue of research videos."""

__version__ = "0.1.0"
