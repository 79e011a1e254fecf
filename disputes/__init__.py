"""disputes: a tracker for open disputes between parties, as a command line and a library.

    import disputes
    with disputes.open("register.json") as reg:
        reg.table("disputes").search(Query().status == "escalated")

`import disputes` stays light: the register, TinyDB and the rest load on first use.
"""

from disputes._version import __version__ as __version__

__all__ = [
    "Ambiguous",
    "DisputesError",
    "DisputesWarning",
    "InvalidValue",
    "NotFound",
    "ReadOnly",
    "Register",
    "StoreError",
    "open",
]


def open(path=None, *, lock_timeout: float = 10.0):
    """The register in the store at `path` (else $DISPUTES_DB, else the user's data folder,
    as the CLI finds it); a context manager too. A file that is not a store raises StoreError."""
    from disputes.library import Register

    return Register(path, lock_timeout=lock_timeout)


def __getattr__(name: str):
    if name == "Register":
        from disputes.library import Register

        return Register
    if name in __all__:
        from disputes.core import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'disputes' has no attribute {name!r}")
