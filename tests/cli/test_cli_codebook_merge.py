"""`codebook merge` on files and projects: a new file, or a refusal that names the conflict."""

from __future__ import annotations

import json

from click.testing import CliRunner
from codebook_sides import base, paths, side_a, side_b

from workbench.codebook import load_yaml, save_yaml


def test_cli_codebook_merge_writes_a_new_file_or_refuses(tmp_path):
    from workbench.cli import cli

    files = {}
    for name, codebook in (("o", base()), ("a", side_a()), ("b", side_b())):
        files[name] = tmp_path / f"{name}.yaml"
        save_yaml(codebook, files[name])
    out = tmp_path / "merged.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["codebook", "merge", str(files["a"]), str(files["b"]), "--base", str(files["o"]),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "renamed in A: Hukou -> Hukou status" in result.output
    assert "Networks/Committee" in paths(load_yaml(out))
    conflicting = side_b()
    conflicting.codes[0].definition = "B's own idea of trust."
    a2 = side_a()
    a2.codes[0].definition = "A's own idea of trust."
    save_yaml(conflicting, files["b"])
    save_yaml(a2, files["a"])
    out2 = tmp_path / "merged2.yaml"
    result = runner.invoke(cli, ["codebook", "merge", str(files["a"]), str(files["b"]), "--base", str(files["o"]),
                                 "-o", str(out2), "--json"])
    assert result.exit_code != 0 and not out2.exists()
    data = json.loads(result.stdout)
    assert data["conflicts"][0]["field"] == "definition" and data["output"] is None
    assert "--prefer" in result.stderr
    result = runner.invoke(cli, ["codebook", "merge", str(files["a"]), str(files["b"]), "--base", str(files["o"]),
                                 "-o", str(out2), "--prefer", "A"])
    assert result.exit_code == 0 and load_yaml(out2).codes[0].definition == "A's own idea of trust."


def test_a_project_is_a_codebook_source(tmp_path):
    from workbench.cli import cli
    from workbench.codebook.ops import install
    from workbench.store import Project

    with Project.create(tmp_path / "a.qda") as project:
        install(project, side_a())
    save_yaml(side_b(), tmp_path / "b.yaml")
    result = CliRunner().invoke(cli, ["codebook", "merge", str(tmp_path / "a.qda"), str(tmp_path / "b.yaml"),
                                      "-o", str(tmp_path / "m.md"), "--prefer", "B"])
    assert result.exit_code == 0, result.output
    assert "Fellow villagers" in (tmp_path / "m.md").read_text(encoding="utf-8")
    same = CliRunner().invoke(cli, ["codebook", "merge", str(tmp_path / "a.qda"), str(tmp_path / "b.yaml"),
                                    "-o", str(tmp_path / "b.yaml")])
    assert same.exit_code != 0 and "new file" in same.output
