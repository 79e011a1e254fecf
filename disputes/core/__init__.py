"""The domain core: records, vocabulary, dates, ids, validation, queries, report data and merge rules.

Nothing here knows of the terminal, of Typer or Rich, of the store or of files (the
layering is checked by import-linter, see pyproject.toml)."""
