"""Run the CLI as `python -m disputes`."""

from disputes.cli import main

main()
