"""Kept for imports from before the panel moved: `SuggestionPanel` is a widget (`tui/widgets/suggestions.py`)."""

from ..widgets.suggestions import SuggestionPanel, compute  # noqa: F401
