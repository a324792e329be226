"""The shipped knowledge is product: it must parse, pair up across languages, and sound right."""

import re

import pytest

from coach.knowledge import list_items, load_knowledge
from coach.principles import PRINCIPLE_IDS
from coach.settings import PROJECT_ROOT
from coach.tone import analyze

DOCS = load_knowledge([PROJECT_ROOT / "knowledge"])
PLAYBOOKS = [d for d in DOCS if d.kind == "playbook"]
BY_KEY = {(d.id, d.language): d for d in PLAYBOOKS}
REQUIRED = [
    "lead-quality",
    "budget-deadlock",
    "missed-quarter-blame",
    "lead-follow-up-ownership",
    "duplicated-work",
    "leaders-not-talking",
    "short-vs-long-term",
    "overloaded-marketing-team",
    "cross-functional-pods",
    "onboarding-cross-training",
    "feedback-taken-personally",
    "public-criticism",
    "blameless-post-mortem",
    "campaign-without-sales",
    "marketing-sales-sla",
    "finance-as-mediator",
]


def test_at_least_sixteen_playbooks_each_in_both_languages():
    ids = {d.id for d in PLAYBOOKS}
    assert len(ids) >= 16
    assert set(REQUIRED) <= ids
    for playbook_id in ids:
        es, en = BY_KEY.get((playbook_id, "es")), BY_KEY.get((playbook_id, "en"))
        assert es and en, f"{playbook_id} needs both languages"
        assert es.principles == en.principles, playbook_id


def test_every_principle_is_carried_by_some_playbook():
    carried = {p for d in PLAYBOOKS for p in d.principles}
    assert carried == set(PRINCIPLE_IDS)


def test_the_article_is_indexed_as_it_is():
    article = next(d for d in DOCS if d.kind == "article")
    source = PROJECT_ROOT.parent / "shared" / "source" / "esa-relacion-entre-marketing-y-ventas.md"
    if source.exists():
        body = article.path.read_text(encoding="utf-8").split("---\n", 2)[2]
        assert body == source.read_text(encoding="utf-8")
    assert {p for s in article.sections for p in s.principles} == set(PRINCIPLE_IDS)


@pytest.mark.parametrize("doc", PLAYBOOKS, ids=lambda d: f"{d.id}-{d.language}")
def test_playbook_shape(doc):
    assert 1 <= len(doc.principles) <= 2
    assert len(doc.situations) >= 6
    assert 3 <= len(list_items(doc.section("steps").text)) <= 5
    assert 1 <= len(list_items(doc.section("say").text)) <= 3
    assert doc.section("question").text.strip().endswith("?")
    words = sum(
        len(s.text.split()) for s in doc.sections if not s.key.startswith(("situation-", "turn-"))
    )
    assert 250 <= words <= 700, words


@pytest.mark.parametrize("doc", PLAYBOOKS, ids=lambda d: f"{d.id}-{d.language}")
def test_playbook_text_passes_the_tone_checker(doc):
    """Everything but the 'what to avoid' examples may be shown to a manager as advice."""
    for section in doc.sections:
        if section.key in ("avoid", "situation", "context") or section.key.startswith("situation-"):
            continue  # these describe the conflict (quotes included); they are never advice
        text = section.text
        if section.key.startswith("turn-"):  # what they say may be blunt; what to do and say not
            text = "\n".join(text.split("\n")[1:])
        report = analyze(text, doc.language)
        assert report.ok, (section.key, [f.text for f in report.flags])
    assert analyze(doc.title, doc.language).ok  # titles are shown in every answer's sources


@pytest.mark.parametrize("doc", PLAYBOOKS, ids=lambda d: f"{d.id}-{d.language}")
def test_playbook_is_written_in_its_language(doc):
    from coach.language import detect_language

    for key in ("steps", "say", "question"):
        assert detect_language(doc.section(key).text) == doc.language, key


_LIST_NUMBER = re.compile(r"^\s*\d+[.)]\s+", re.MULTILINE)


@pytest.mark.parametrize("doc", PLAYBOOKS, ids=lambda d: f"{d.id}-{d.language}")
def test_advice_carries_no_figures(doc):
    """Steps, lines to say, the question and the next turns' do/say reach the user as advice: a
    digit there is a figure the user never gave ("the last 50 leads"). Suggest size or time in
    words ("the last month of requests") or leave a [placeholder]; list numbering is markup."""
    texts = {
        key: _LIST_NUMBER.sub("", doc.section(key).text) for key in ("steps", "say", "question")
    }
    for objection, turn in doc.next_turns.items():
        texts[f"turn-{objection}.do"] = turn["do"]
        texts[f"turn-{objection}.say"] = turn["say"]
    found = {key: re.findall(r"[^.\n]*\d[^.\n]*", text) for key, text in texts.items()}
    with_figures = {key: lines for key, lines in found.items() if lines}
    assert not with_figures, with_figures
