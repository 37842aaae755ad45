"""Untrusted XML in, valid XML out: parsing without entities or DTDs, checking against the XSDs.

Parsing goes through defusedxml first (no DTD, no entity, no external reference may appear),
then lxml with entity resolution and the network off, for validation against the schemas
shipped with the package. Schemas are never fetched, whatever `schemaLocation` a file names.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from ..model import WorkbenchError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PROJECT_LOCATION = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
CODEBOOK_LOCATION = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
SCHEMA_FILES = {PROJECT_NS: "Project-mrt2019.xsd", CODEBOOK_NS: "Codebook.repaired.xsd"}

# Schema complaints that real exports trigger and that lose nothing we read: odd dates, colours
# or GUID spellings, vendor attributes and elements. Anything else makes a file invalid.
TOLERATED = {
    "SCHEMAV_CVC_PATTERN_VALID", "SCHEMAV_CVC_DATATYPE_VALID_1_2_1", "SCHEMAV_CVC_ATTRIBUTE_3",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1", "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2", "SCHEMAV_ELEMENT_CONTENT",
    "SCHEMAV_CVC_ENUMERATION_VALID",
}
ESSENTIAL_ATTRIBUTES = ("'startPosition'", "'endPosition'", "'targetGUID'")


def _parser():
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=True, remove_blank_text=False,
    )


@cache
def schema(namespace: str):
    """The XSD of a namespace, from the package's own copy."""
    from lxml import etree

    data = resources.files(__package__).joinpath("schemas").joinpath(SCHEMA_FILES[namespace]).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, _parser()))


def parse(data: bytes, where: str):
    """An lxml element tree of untrusted bytes, refusing DTDs, entities and external references."""
    import defusedxml
    import defusedxml.ElementTree as safe
    from lxml import etree

    try:
        safe.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise WorkbenchError(f"{where}: refused: it declares a DTD (a way to smuggle entities in)") from None
    except defusedxml.EntitiesForbidden:
        raise WorkbenchError(f"{where}: refused: it declares XML entities (XXE or billion laughs)") from None
    except defusedxml.ExternalReferenceForbidden:
        raise WorkbenchError(f"{where}: refused: it refers to an external resource") from None
    except Exception as error:  # ParseError: not well-formed
        raise WorkbenchError(f"{where}: not valid XML ({_first_line(error)})") from None
    try:
        return etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise WorkbenchError(f"{where}: not valid XML ({_first_line(error)})") from None


def validate(tree, namespace: str, where: str, strict: bool) -> list[str]:
    """Check a tree against its schema: raise on any error if strict, else on the grave ones.

    Returns the tolerated deviations, one line each, for the import report.
    """
    root = tree.getroot()
    expected = "Project" if namespace == PROJECT_NS else "CodeBook"
    if root.tag != f"{{{namespace}}}{expected}":
        raise WorkbenchError(f"{where}: not a REFI-QDA {expected.lower()} (its root is {_local(root.tag)!r}, "
                             f"expected {expected} in {namespace})")
    checker = schema(namespace)
    if checker.validate(tree):
        return []
    errors = list(checker.error_log)
    if strict:
        raise WorkbenchError(f"{where}: does not validate against the REFI-QDA schema (line {errors[0].line}: "
                             f"{errors[0].message})")
    grave = [e for e in errors if e.type_name not in TOLERATED or any(a in e.message for a in ESSENTIAL_ATTRIBUTES)]
    if grave:
        first = grave[0]
        raise WorkbenchError(f"{where}: not a valid REFI-QDA file (line {first.line}: {first.message})")
    return [f"line {e.line}: {e.message}" for e in errors]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def schema_path(namespace: str) -> Path:
    return Path(str(resources.files(__package__).joinpath("schemas").joinpath(SCHEMA_FILES[namespace])))
