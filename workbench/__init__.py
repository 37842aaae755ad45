"""A workbench for qualitative data analysis of English and Chinese interview transcripts."""

# Importing the backup module registers the automatic backup that the store runs before
# destructive work (migrations, deletions, restores); the store itself never imports it.
from . import backup as _backup  # noqa: F401
