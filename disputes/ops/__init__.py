"""Operations: what commands do, using the core rules on an open store (one described change each)."""
