"""The store: the file format, atomic writes, the lock, migrations, and the Store.

The only code that reads or writes the store file."""

# Seconds a writer waits for another's lock. Here, not in lock.py, so that the CLI can show
# it in --help without importing what locking needs.
DEFAULT_TIMEOUT = 10.0
