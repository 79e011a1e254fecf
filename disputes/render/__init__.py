"""Rendering: everything users see, in the terminal and in files (reports, exports)."""
