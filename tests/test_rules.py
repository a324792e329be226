"""The tone rules are data (coach/rules/<lang>.yaml): every rule's own examples are checked here."""

import re

import pytest

from coach import rules
from coach.tone import analyze

RULES = [(lang, rule) for lang in rules.languages() for rule in rules.load(lang).flags]


def test_both_languages_have_rules_lexicon_and_the_same_kinds():
    assert set(rules.languages()) >= {"en", "es"}
    kinds = {lang: set(rules.load(lang).kinds) for lang in rules.languages()}
    assert kinds["en"] == kinds["es"]


@pytest.mark.parametrize(("lang", "rule"), RULES, ids=[f"{lang}:{r.id}" for lang, r in RULES])
def test_every_rule_flags_its_examples_and_passes_its_near_misses(lang, rule):
    assert rule.examples.get("flag"), f"{rule.id} needs at least one 'flag' example"
    for example in rule.examples["flag"]:
        fired = [f.rule for f in analyze(example, lang).flags]
        assert rule.id in fired, f"{rule.id} missed {example!r} (fired: {fired})"
    for example in rule.examples.get("pass", []):
        report = analyze(example, lang)
        assert report.ok, f"{example!r} should pass, got {[f.rule for f in report.flags]}"


@pytest.mark.parametrize("lang", rules.languages())
def test_every_flag_names_its_rule_and_the_rule_exists(lang):
    ids = {r.id for r in rules.load(lang).flags}
    text = {"en": "Your team never reads anything, as usual.", "es": "Tu equipo nunca lee nada."}
    flags = analyze(text[lang], lang).flags
    assert flags and all(f.rule in ids for f in flags)
    assert all(f.to_dict()["rule"] == f.rule for f in flags)


@pytest.mark.parametrize("lang", rules.languages())
def test_every_repair_is_used_by_a_rule(lang):
    ruleset = rules.load(lang)
    used = {r for rule in ruleset.flags for r in rule.repair}
    # final.* repairs apply to every repaired sentence (rewrite._finish), not to one rule's flags
    finals = {r for r in ruleset.repairs if r.startswith("final.")}
    assert "final.opener" in finals
    assert set(ruleset.repairs) - used - finals == set()


def test_a_broken_pattern_or_unknown_word_list_is_named():
    with pytest.raises(rules.RulesError, match="x.yaml rule r1: bad pattern"):
        rules.compile_pattern("(unclosed", {}, "x.yaml rule r1")
    with pytest.raises(rules.RulesError, match=r"unknown lexicon name \{NOPE\}"):
        rules.compile_pattern("{NOPE} always", {}, "x.yaml rule r2")


def test_lexicon_names_expand_to_alternations_without_accents():
    lexicon = rules.load_lexicon("es")
    assert "miercoles" in lexicon["DAYS"] and "é" not in lexicon["DAYS"]
    assert rules.compile_pattern(r"\b{TEAM} nunca\b", lexicon, "t").search("tu equipo nunca")


@pytest.mark.parametrize("lang", rules.languages())
def test_every_repair_copies_only_groups_its_pattern_has(lang):
    for repair in rules.load(lang).repairs.values():
        refs = [int(n) for n in re.findall(r"\\(\d)", repair.replace)]
        assert max(refs, default=0) <= repair.pattern.groups, repair.id
