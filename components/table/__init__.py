"""Tables: the event schema, reading and validating files, the store, the cache, sources."""
