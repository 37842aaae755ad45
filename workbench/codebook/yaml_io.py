"""Codebook YAML files: strict loading with errors naming the code, and saving that round-trips."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from ..model import Code, WorkbenchError
from ..text.normalize import normalize
from .model import MAX_CODES, MAX_DEPTH, PATH_SEPARATOR, Codebook, path_text

TOP_KEYS = ("name", "name_zh", "description", "codes")
CODE_KEYS = ("name", "name_zh", "color", "definition", "include", "exclude", "examples",
             "keywords_en", "keywords_zh", "children", "guid")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_CODEBOOK_BYTES = 5 * 1024 * 1024


def load_yaml(path: str | Path) -> Codebook:
    path = Path(path)
    if not path.exists():
        raise WorkbenchError(f"{path}: no such codebook file")
    if path.is_dir():
        raise WorkbenchError(f"{path}: is a folder, not a codebook file")
    if path.stat().st_size > MAX_CODEBOOK_BYTES:
        raise WorkbenchError(f"{path}: over {MAX_CODEBOOK_BYTES // 1048576} MB; is it really a codebook?")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorkbenchError(f"{path}: not UTF-8 text (byte {error.start})") from None
    return parse_codebook(text, str(path))


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a key given twice in one mapping (YAML keeps only the last,
    so a second `children:` would silently drop the codes under the first)."""


def _mapping_without_repeats(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *defaults` may be overridden by the keys beside it
        key = loader.construct_object(key_node, deep=True)
        try:
            repeated = key in seen
            seen.add(key)
        except TypeError:
            continue  # unhashable: construct_mapping reports it
        if repeated:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice in one mapping", key_node.start_mark)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)


def parse_codebook(text: str, source: str) -> Codebook:
    text = normalize(text)  # NFC like the documents, so a name typed on any system finds its code
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "cannot be read"
        raise WorkbenchError(f"{source}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise WorkbenchError(f"{source}: nested too deeply to be a codebook") from None
    if not isinstance(data, dict):
        raise WorkbenchError(f"{source}: expected a mapping with 'name' and 'codes' at the top")
    _check_keys(data, TOP_KEYS, source, "the top level")
    codes_data = data.get("codes")
    if not isinstance(codes_data, list) or not codes_data:
        raise WorkbenchError(f"{source}: 'codes' must be a non-empty list of codes")
    name = _text(data.get("name"), source, "the codebook's 'name'") or Path(source).stem
    seen: set[int] = set()
    count = [0]
    given: dict[tuple[str, ...], frozenset[str]] = {}
    codes = _codes(codes_data, (), source, seen, count, given)
    return Codebook(
        name=name, codes=codes, name_zh=_text(data.get("name_zh"), source, "'name_zh'"),
        description=_text(data.get("description"), source, "'description'"), given=given,
    )


def _codes(items: object, path: tuple[str, ...], source: str, seen: set[int], count: list[int],
           given: dict[tuple[str, ...], frozenset[str]]) -> list[Code]:
    where = f"children of {path_text(path)!r}" if path else "'codes'"
    if id(items) in seen:
        raise WorkbenchError(f"{source}: {where} refer back to an ancestor (a cycle)")
    seen.add(id(items))
    if not isinstance(items, list):
        raise WorkbenchError(f"{source}: {where} must be a list")
    if items and len(path) >= MAX_DEPTH:  # a leaf at the deepest level has an empty list
        raise WorkbenchError(f"{source}: code {path_text(path)!r} is nested deeper than {MAX_DEPTH} levels")
    codes, names = [], set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise WorkbenchError(f"{source}: item {index + 1} of {where} is not a code (a mapping with a name)")
        if id(item) in seen:
            raise WorkbenchError(f"{source}: code {item.get('name')!r} in {where} repeats an ancestor (a cycle)")
        seen.add(id(item))
        label = item.get("name")
        if isinstance(label, bool):
            raise WorkbenchError(f"{source}: item {index + 1} of {where}: YAML reads its name as {label}; "
                                 "put the name in quotes")
        if not isinstance(label, (str, int, float)) or not str(label).strip():
            raise WorkbenchError(f"{source}: item {index + 1} of {where} has an empty name")
        label = str(label).strip()
        here = path + (label,)
        code_ref = f"code {path_text(here)!r}"
        if PATH_SEPARATOR in label:
            raise WorkbenchError(f"{source}: {code_ref}: a name cannot contain '{PATH_SEPARATOR}'")
        _check_keys(item, CODE_KEYS, source, code_ref)
        if label.casefold() in names:
            raise WorkbenchError(f"{source}: {code_ref}: duplicate name among its siblings")
        names.add(label.casefold())
        count[0] += 1
        if count[0] > MAX_CODES:
            raise WorkbenchError(f"{source}: more than {MAX_CODES} codes")
        color = item.get("color", "#888888")
        if color is None:
            raise WorkbenchError(f"{source}: {code_ref}: colour is empty; quote it, as in color: \"#1f77b4\" "
                                 "(an unquoted # starts a YAML comment)")
        if not isinstance(color, str) or not COLOR.match(color.strip()):
            raise WorkbenchError(f"{source}: {code_ref}: colour {color!r} is not of the form #RRGGBB")
        children = item.get("children") or []
        guid = item.get("guid")
        if guid is not None and (not isinstance(guid, str) or not GUID.match(guid.strip())):
            raise WorkbenchError(f"{source}: {code_ref}: guid {guid!r} is not a guid (8-4-4-4-12 hex digits)")
        given[here] = frozenset(key for key in item if key not in ("name", "children", "guid"))
        codes.append(
            Code(
                name=label,
                name_zh=_text(item.get("name_zh"), source, f"{code_ref}: 'name_zh'"),
                definition=_text(item.get("definition"), source, f"{code_ref}: 'definition'"),
                include=_text(item.get("include"), source, f"{code_ref}: 'include'"),
                exclude=_text(item.get("exclude"), source, f"{code_ref}: 'exclude'"),
                examples=_strings(item.get("examples"), source, f"{code_ref}: 'examples'"),
                color=color.strip().lower(),
                keywords_en=_strings(item.get("keywords_en"), source, f"{code_ref}: 'keywords_en'"),
                keywords_zh=_strings(item.get("keywords_zh"), source, f"{code_ref}: 'keywords_zh'"),
                children=_codes(children, here, source, seen, count, given),
                guid=(guid or "").strip().lower(),  # the code's identity: an import matches on it first
            )
        )
        seen.discard(id(item))  # `seen` holds ancestors only: an alias may be reused elsewhere
    seen.discard(id(items))
    return codes


def _check_keys(data: dict, allowed: tuple[str, ...], source: str, where: str) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            if key == "colour":
                close = ["color"]
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(allowed)})"
            raise WorkbenchError(f"{source}: {where}: unknown key {key!r}{hint}")


def _text(value: object, source: str, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise WorkbenchError(f"{source}: {where} must be text")


def _strings(value: object, source: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise WorkbenchError(f"{source}: {where} must be a list of texts")
    return [str(v).strip() for v in value if str(v).strip()]


# ----------------------------------------------------------------------------- saving
class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str):
    style = ">" if len(value) > 80 and "\n" not in value else ("|" if "\n" in value else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def _code_dict(code: Code) -> dict:
    data: dict = {"name": code.name}
    if code.name_zh:
        data["name_zh"] = code.name_zh
    data["color"] = code.color
    for key in ("definition", "include", "exclude"):
        if getattr(code, key):
            data[key] = getattr(code, key)
    for key in ("examples", "keywords_en", "keywords_zh"):
        if getattr(code, key):
            data[key] = list(getattr(code, key))
    if code.guid:  # so that a merge or an import knows a renamed or moved code
        data["guid"] = code.guid
    if code.children:
        data["children"] = [_code_dict(child) for child in code.children]
    return data


def dump_yaml(codebook: Codebook) -> str:
    data: dict = {"name": codebook.name}
    if codebook.name_zh:
        data["name_zh"] = codebook.name_zh
    if codebook.description:
        data["description"] = codebook.description
    data["codes"] = [_code_dict(code) for code in codebook.codes]
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def save_yaml(codebook: Codebook, path: str | Path) -> None:
    path = Path(path)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(dump_yaml(codebook), encoding="utf-8")
    temporary.replace(path)  # never leave a half-written codebook behind
