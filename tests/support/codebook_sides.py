"""Three versions of one codebook for the merge tests: a base, and two coders' changes to it."""

from __future__ import annotations

from workbench.codebook.model import Codebook
from workbench.model import Code


def cb(*codes: Code) -> Codebook:
    return Codebook("migration governance", list(codes), name_zh="移民治理")


def base() -> Codebook:
    return cb(
        Code("Trust", "信任", definition="Confidence in people or institutions.",
             children=[Code("Distrust", "不信任"), Code("Committee", "居委会")]),
        Code("Hukou", "户口"), Code("Networks", "社会网络"), Code("Schooling", "上学"),
    )


def side_a() -> Codebook:
    return cb(
        Code("Trust", "信任", definition="Confidence in people or institutions.",
             children=[Code("Distrust", "不信任", definition="Expecting harm or neglect.")]),
        Code("Hukou status", "户口"),  # renamed
        Code("Networks", "社会网络", children=[Code("Committee", "居委会")]),  # Committee moved here
        Code("Work", "工作"),  # added on both sides
        # Schooling deleted
    )


def side_b() -> Codebook:
    return cb(
        Code("Trust", "信任", definition="Confidence in people or institutions.",
             children=[Code("Distrust", "不信任"), Code("Committee", "居委会", color="#d62728")]),
        Code("Hukou", "户口", definition="Household registration and what it allows."),
        Code("Networks", "社会网络"), Code("Schooling", "上学"), Code("Work", "工作"),
        Code("Fellow villagers", "老乡"),  # added
        Code("Social networks"),  # a near-duplicate of Networks under another name
    )


def paths(codebook: Codebook) -> list[str]:
    return ["/".join(path) for path, _ in codebook.walk()]
