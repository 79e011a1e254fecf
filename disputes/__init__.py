"""disputes: a command-line tracker for open disputes between parties."""

__version__ = "0.1.0"
