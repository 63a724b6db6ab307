"""Names across scripts: keys, transliteration systems, and the entity registry."""
