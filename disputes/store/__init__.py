"""The store: the file format, atomic writes, the lock, migrations, and the Store over TinyDB.

The only code that reads or writes the store file."""
