"""Data in and out: every import starts at `imports.py`, which tells a file's format and hands
it to its importer: `store_json.py` (a whole store as JSON, an export or a hand-written
file; export too), `csv_import.py` (someone else's CSV list, through a column mapping, with
`code_schemes.py` for party codes of other schemes) or `eventdata.py` (GDELT, ICEWS and
ACLED rows matched against the watch rules). `export_format.py` is the export file itself,
written and read back. Reading the files safely is `ops/inputs.py`'s, shared with others."""
