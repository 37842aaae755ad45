"""Codebooks: the tree of codes, its YAML files, validation, and operations on a project's codes."""

from .model import MAX_CODES, MAX_DEPTH, Codebook

__all__ = ["Codebook", "MAX_CODES", "MAX_DEPTH", "dump_yaml", "load_yaml", "parse_codebook", "save_yaml"]
_YAML = ("dump_yaml", "load_yaml", "parse_codebook", "save_yaml")


def __getattr__(name: str):
    """The YAML functions load PyYAML on first use: `workbench code` has no need of it (start-up)."""
    if name in _YAML:
        from . import yaml_io

        return getattr(yaml_io, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
