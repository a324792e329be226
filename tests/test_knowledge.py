"""A malformed knowledge file fails with a message naming the file and the problem."""

import pytest

from coach.errors import KnowledgeError
from coach.knowledge import load_file, load_knowledge

GOOD = (
    FIXTURE := __import__("pathlib").Path(__file__).parent
    / "fixtures"
    / "knowledge"
    / "en"
    / "weekly-sync.md"
).read_text()


def write(tmp_path, text, name="bad.md", raw=None):
    path = tmp_path / name
    path.write_bytes(raw if raw is not None else text.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("# Just a heading\n\nNo front matter here.\n", "no YAML front matter"),
        ("---\nid: [unclosed\n---\nbody\n", "not valid YAML"),
        (
            GOOD.replace("principles: [shared-vision]", "principles: [be-nice]"),
            "unknown principle id 'be-nice'",
        ),
        (GOOD.replace("language: en", "language: fr"), "language 'fr'"),
        (GOOD.replace('title: "The weekly sync keeps getting skipped"\n', ""), "missing 'title'"),
        (GOOD.replace("## Steps", "## Things"), "unknown section heading"),
        (GOOD.split("## A question to ask")[0], "missing section(s): '## A question to ask'"),
        (GOOD.replace("id: weekly-sync", "id: Weekly Sync"), "lower-case"),
        (GOOD.split("# The weekly sync keeps")[0], "no text"),
        (GOOD.replace("situations:", "situations: [[nested, list]]\nold:"), "one sentence of text"),
    ],
)
def test_malformed_files_name_the_file_and_problem(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(KnowledgeError) as caught:
        load_file(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_non_utf8_is_reported(tmp_path):
    path = write(tmp_path, "", raw=GOOD.encode().replace(b"The situation", b"La situaci\xf3n"))
    with pytest.raises(KnowledgeError, match="not UTF-8"):
        load_file(path)


def test_duplicate_ids_name_both_files(tmp_path):
    (tmp_path / "a").mkdir()
    write(tmp_path / "a", GOOD, "one.md")
    write(tmp_path / "a", GOOD, "two.md")
    with pytest.raises(KnowledgeError, match="also used by"):
        load_knowledge([tmp_path / "a"])


def test_every_broken_file_is_named_in_one_run(tmp_path):
    """A trainer fixing a folder of many files sees all the problems at once, not one per run."""
    folder = tmp_path / "k"
    folder.mkdir()
    write(folder, GOOD, "good.md")
    write(folder, GOOD.replace("language: en", "language: fr"), "french.md")
    write(folder, "no front matter", "plain.md")
    write(folder, GOOD, "copy.md")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge([folder])
    message = str(caught.value)
    assert message.startswith("3 knowledge files cannot be indexed")
    assert "french.md: language 'fr'" in message and "plain.md" in message
    assert "also used by" in message


def test_a_missing_folder_is_reported(tmp_path):
    with pytest.raises(KnowledgeError, match="does not exist"):
        load_knowledge([tmp_path / "nowhere"])


def test_a_playbook_becomes_sections_with_metadata():
    doc = load_file(FIXTURE)
    keys = [s.key for s in doc.sections]
    assert keys[:7] == ["situation", "context", "principles", "steps", "say", "avoid", "question"]
    assert "situation-1" in keys  # each way of saying it is its own retrievable section
    assert all(s.principles == ("shared-vision",) for s in doc.sections)
    assert doc.title == "The weekly sync keeps getting skipped"


def test_the_article_is_cut_at_its_numbered_points():
    from coach.settings import PROJECT_ROOT

    doc = load_file(
        PROJECT_ROOT / "knowledge" / "source" / "esa-relacion-entre-marketing-y-ventas.md"
    )
    points = {s.key: s.principles for s in doc.sections if s.key.startswith("punto")}
    assert points["punto 1"] == ("finance-mediation",)
    assert points["punto 6"] == ("solve-not-blame",)
    assert points["punto 7"] == ("nothing-personal",)
    assert len(points) == 7


BOMB = "\n".join(
    ['a: &a ["lol lol lol", "lol lol lol", "lol lol lol", "lol lol lol"]']
    + [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefg", "bcdefgh", strict=True)]
)


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    """A few lines of nested aliases would expand into gigabytes (a "billion laughs" file)."""
    bomb = GOOD.replace("---\n", "---\n" + BOMB + "\n", 1).replace(
        "situations:", "x: *h\nsituations:"
    )
    with pytest.raises(KnowledgeError, match="YAML alias"):
        load_file(write(tmp_path, bomb))
