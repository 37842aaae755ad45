"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc) in and out of other QDA programs."""

from __future__ import annotations
