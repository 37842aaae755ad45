"""Codebooks: the tree of codes, its YAML files, validation, and operations on a project's codes."""

from .model import Codebook, MAX_CODES, MAX_DEPTH
from .yaml_io import dump_yaml, load_yaml, parse_codebook, save_yaml

__all__ = ["Codebook", "MAX_CODES", "MAX_DEPTH", "dump_yaml", "load_yaml", "parse_codebook", "save_yaml"]
