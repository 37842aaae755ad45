"""Text utilities shared by importers, search, the TUI and the NLP layers."""
