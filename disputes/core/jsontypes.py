"""The JSON boundary's one type name: a record as a file or the store holds it, before the core reads it."""

from __future__ import annotations

from typing import Any

# A JSON object with string keys, read from the store or a file, or bound for one: its values
# are whatever JSON holds, so they are `Any` here and nowhere else. The core's own records are
# frozen classes (and TypedDicts where a shape is a dict), built from these.
JsonRecord = dict[str, Any]
# One value of such a record, not checked yet: whoever reads it checks its type (the field rules).
JsonValue = Any
