"""Storage: files written whole and locks, ids, YAML reading, the record store and its index."""
