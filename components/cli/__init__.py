"""The command line: ``python -m components VERB``."""
