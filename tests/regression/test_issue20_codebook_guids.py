"""Issue 20, item 10: codebook files carry guids, `codebook import` matches on them, and renames and
moves found by `codebook merge` apply to the project's codes instead of duplicating them."""

from __future__ import annotations

from click.testing import CliRunner
from named import code_named

from workbench.cli import cli
from workbench.codebook.ops import add_code, paths_by_id
from workbench.model import Code
from workbench.store import Project


def _run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_item10_a_merged_codebooks_rename_and_move_apply_to_the_projects_codes(tmp_path):
    import yaml

    (tmp_path / "P01.txt").write_text("性价比很高。The annotation was slow.\n", encoding="utf-8")
    study = tmp_path / "study.qda"
    with Project.create(study) as project:
        from workbench.imports import import_files

        list(import_files(project, [tmp_path / "P01.txt"], "lead"))
        add_code(project, Code("Annotation"))
        price = add_code(project, Code("Price"))
        add_code(project, Code("Value for money", "性价比"), price)
        add_code(project, Code("Quality"))
        code_named(project, "P01.txt", "Value for money", 0, 3, "lead")
    base = tmp_path / "base.yaml"
    _run("codebook", "export", study, "-o", base)
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    assert all(code.get("guid") for code in data["codes"])  # written on export
    ann, bob = yaml.safe_load(base.read_text(encoding="utf-8")), yaml.safe_load(base.read_text(encoding="utf-8"))
    ann["codes"][0]["name"] = "Labelling"  # ann renames Annotation
    moved = bob["codes"][1].pop("children")[0]  # bob moves Value for money under Quality
    bob["codes"][2]["children"] = [moved]
    (tmp_path / "ann.yaml").write_text(yaml.safe_dump(ann, allow_unicode=True), encoding="utf-8")
    (tmp_path / "bob.yaml").write_text(yaml.safe_dump(bob, allow_unicode=True), encoding="utf-8")
    merged = tmp_path / "merged.yaml"
    _run("codebook", "merge", tmp_path / "ann.yaml", tmp_path / "bob.yaml", "--base", base, "-o", merged,
         "--prefer", "B")
    _run("codebook", "import", study, merged)
    with Project.open(study) as project:
        paths = sorted(paths_by_id(project).values())
        assert paths == ["Labelling", "Price", "Quality", "Quality/Value for money"]
        (coding,) = project.codings()
        assert paths_by_id(project)[coding.code_id] == "Quality/Value for money"
    _run("codebook", "import", study, merged)  # again: nothing new
    with Project.open(study) as project:
        assert sorted(paths_by_id(project).values()) == paths


def test_item10_a_bad_guid_in_a_codebook_file_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncodes:\n  - name: A\n    guid: not-a-guid\n", encoding="utf-8")
    study = tmp_path / "s.qda"
    Project.create(study).close()
    result = CliRunner().invoke(cli, ["codebook", "import", str(study), str(bad)])
    assert result.exit_code != 0 and "bad.yaml" in result.output and "guid" in result.output
