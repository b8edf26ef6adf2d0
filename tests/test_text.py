"""Term matching: folding, stems, whole words, phrases, exclude, snippets, term checks."""

from __future__ import annotations

import re

import pytest

from crmflags.rules.matching.matcher import MAX_TEXT_CHARS, TermMatcher
from crmflags.rules.matching.terms import Negation, Speakers, TermList, TextMatch, check_term
from crmflags.text import fold, html_to_text, snippet


def find(
    text: str, *terms: str, exclude: tuple[str, ...] = (), language: str = "hu"
) -> list[TextMatch]:
    """Return the matches of one list made of ``terms`` in ``text``."""
    matcher = TermMatcher([TermList("t", terms={language: terms}, exclude=exclude)])
    return matcher.find(text).get("t", [])


def words(text: str, *terms: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """Return the matched words, as written in ``text``."""
    return [m.words for m in find(text, *terms, exclude=exclude)]


# Folding


def test_fold_drops_case_and_accents():
    assert fold("Ügyvéd ŐRÜLT idiótának") == "ugyved orult idiotanak"
    assert fold("Ääliö") == "aalio"
    assert fold("advokātam ļoti ņemt ķēde ģimene čaks šis žogs") == (
        "advokatam loti nemt kede gimene caks sis zogs"
    )
    assert fold("Straße") == "strasse"
    assert fold("don’t") == "don't"


@pytest.mark.parametrize(
    "term, text",
    [
        ("ügyvéd*", "Az UGYVEDJUKKEL fenyegetozott"),
        ("ugyved*", "Az ügyvédjükkel fenyegetőzött"),
        ("ÜGYVÉD*", "az ügyvédjükkel"),
        ("ääliö", "Hän on AALIO"),
        ("aalio", "hän on ääliö"),
        ("advokāt*", "zvanīja advokatam"),
        ("advokat*", "zvanīja advokātam"),
        ("ļaunprātīg*", "LAUNPRATIGS klients"),
        ("strasse", "in der Straße"),
    ],
)
def test_case_and_accents_are_ignored_both_ways(term, text):
    assert len(find(text, term)) == 1


# Stems and whole words


@pytest.mark.parametrize(
    "term, text",
    [
        ("idiót*", "idióta"),
        ("idiót*", "idiótának tart minket"),
        ("idiót*", "idióták"),
        ("idioot*", "kutsui meitä idiootiksi"),
        ("idioot*", "idiootti"),
        ("idioot*", "idiootin"),
        ("advokāt*", "advokāts"),
    ],
)
def test_a_stem_matches_every_word_starting_with_it(term, text):
    assert len(find(text, term)) == 1


@pytest.mark.parametrize(
    "term, text",
    [
        ("idiót*", "xidióta"),
        ("idiót*", "egy_idióta"),
        ("idiót*", "2idióta"),
        ("sue", "the issue with the suede sofa"),
        ("sue", "pursue the lead"),
        ("sue", "sue_2 and sue9"),
        ("court", "courtesy call"),
        ("court", "escort the courts"),
        ("perc", "percek"),
    ],
)
def test_no_match_starts_or_ends_inside_a_word(term, text):
    assert find(text, term) == []


def test_a_word_matches_next_to_punctuation():
    assert words("Sue! (court), «idióta»; Sue's", "sue", "court", "idiót*") == [
        "Sue",
        "court",
        "idióta",
        "Sue",
    ]


# Phrases


@pytest.mark.parametrize("text", ["shut up", "Shut   UP!", "he said: shut\nup.", "shut\t up"])
def test_a_phrase_matches_across_any_whitespace(text):
    assert len(find(text, "shut up", language="en")) == 1


@pytest.mark.parametrize("text", ["shutup", "shut-up", "shut, up", "shut upstairs", "reshut up"])
def test_a_phrase_needs_its_words_whole_and_only_whitespace_between(text):
    assert find(text, "shut up", language="en") == []


def test_phrase_words_may_be_stems():
    assert words("Uhkasi haastaa oikeuteen.", "haasta* oikeu*") == ["haastaa oikeuteen"]
    assert words("haastamme oikeudessa", "haasta* oikeu*") == ["haastamme oikeudessa"]
    assert words("haastaa meidät oikeuteen", "haasta* oikeu*") == []


def test_the_longer_phrase_wins_where_terms_start_alike():
    matches = find("Got two cheaper quotes today.", "cheaper", "cheaper quote*", language="en")
    assert [(m.term, m.words) for m in matches] == [("cheaper quote*", "cheaper quotes")]


def test_the_most_specific_term_is_reported():
    matches = find("perc, percek, per, perben", "per*", "perc", "perben")
    assert [(m.words, m.term) for m in matches] == [
        ("perc", "perc"),
        ("percek", "per*"),
        ("per", "per*"),
        ("perben", "perben"),
    ]


def test_terms_that_fold_alike_report_the_first_listed():
    matcher = TermMatcher([TermList("abuse", terms={"en": ("idiot*",), "hu": ("idiót*",)})])
    [match] = matcher.find("idiótának")["abuse"]
    assert (match.term, match.language) == ("idiot*", "en")


def test_a_typographic_apostrophe_matches_a_plain_one():
    assert words("You don’t know your job!", "don't know your job") == ["don’t know your job"]


# Exclude


def test_exclude_drops_a_match_at_the_same_words():
    text = "5 perc alatt kész, de per lesz belőle, perelnek és percekig vitáztak."
    assert words(text, "per*", exclude=("perc*",)) == ["per", "perelnek"]


def test_exclude_phrase_drops_a_match_it_covers():
    text = "Met at the food court. They will take us to court."
    assert words(text, "court", exclude=("food court",)) == ["court"]
    [match] = find(text, "court", exclude=("food court",))
    assert match.snippet == "…at the food court. They will take us to court."


def test_a_list_whose_only_matches_are_excluded_is_left_out():
    matcher = TermMatcher([TermList("legal", terms={"en": ("court",)}, exclude=("food court",))])
    assert matcher.find("Lunch at the food court.") == {}


def test_an_exclude_match_elsewhere_does_not_drop_a_match():
    assert words("percek múlva per", "per*", exclude=("perc*",)) == ["per"]


# What a match reports


def test_matches_report_term_language_and_original_words_in_text_order():
    matcher = TermMatcher(
        [
            TermList("abuse", terms={"en": ("idiot*",), "hu": ("hülye",)}),
            TermList("legal", terms={"fi": ("oikeuteen",)}),
            TermList("urgency", terms={"en": ("asap",)}),
        ]
    )
    found = matcher.find("HÜLYE idióták! Oikeuteen vie, idiot.")
    assert list(found) == ["abuse", "legal"]
    assert [(m.term, m.language, m.words) for m in found["abuse"]] == [
        ("hülye", "hu", "HÜLYE"),
        ("idiot*", "en", "idióták"),
        ("idiot*", "en", "idiot"),
    ]
    assert [(m.term, m.language, m.words) for m in found["legal"]] == [
        ("oikeuteen", "fi", "Oikeuteen")
    ]


def test_a_text_without_matches_gives_an_empty_result():
    matcher = TermMatcher([TermList("abuse", terms={"en": ("idiot*",)}), TermList("empty")])
    assert matcher.find("All good, invoice paid.") == {}
    assert matcher.find("") == {}


def test_an_invalid_term_is_refused_with_its_list():
    with pytest.raises(ValueError, match=r"'id\*' in abuse: a stem needs at least 3 letters"):
        TermMatcher([TermList("abuse", terms={"en": ("idiot*", "id*")})])
    with pytest.raises(ValueError, match="'pe\\*ri' in legal"):
        TermMatcher([TermList("legal", terms={"en": ("court",)}, exclude=("pe*ri",))])


# Snippets

LONG = (
    "Monday: we sent the revised mockups and the invoice for March.\n\n"
    "Then the client called and said we are idiots who never listen,\n"
    "and that the whole  team should be replaced by next week or else."
)


def test_a_short_text_is_its_own_snippet():
    [match] = find("Azt mondta,\n  idiótának tart minket.", "idiót*")
    assert match.snippet == "Azt mondta, idiótának tart minket."


def test_a_snippet_is_cut_at_word_boundaries_with_ellipses():
    [match] = find(LONG, "idiot*", language="en")
    assert match.words == "idiots"
    assert match.snippet == (
        "…Then the client called and said we are idiots who never listen, and that the whole…"
    )


def test_snippet_context_stays_near_forty_characters():
    [match] = find(LONG, "idiot*", language="en")
    before, _, after = match.snippet.partition(match.words)
    assert 25 <= len(before) <= 42 and 25 <= len(after) <= 42


def test_a_snippet_leaves_out_a_word_longer_than_its_context():
    text = "x" * 60 + " idióta " + "y" * 60
    assert snippet(text, 61, 67) == "…idióta…"


def test_a_match_at_the_edges_has_no_ellipsis_on_that_side():
    text = "Idióta! " + "a " * 40
    [match] = find(text, "idiót*")
    assert match.snippet.startswith("Idióta! a a") and match.snippet.endswith("…")
    [match] = find("a " * 40 + "idióta", "idiót*")
    assert match.snippet.startswith("…a a") and match.snippet.endswith("a idióta")


def test_trailing_whitespace_is_no_reason_for_an_ellipsis():
    [match] = find("idióta" + " " * 60 + "\n", "idiót*")
    assert match.snippet == "idióta"


def test_a_multi_line_note_gives_each_match_its_own_context():
    note = "Line one is fine.\nHe yelled at Kati.\n\nLine four: yelled again, then left."
    matches = find(note, "yelled", language="en")
    assert [m.words for m in matches] == ["yelled", "yelled"]
    assert all("\n" not in m.snippet for m in matches)
    assert (
        matches[0].snippet == "Line one is fine. He yelled at Kati. Line four: yelled again, then…"
    )
    assert matches[1].snippet == "…is fine. He yelled at Kati. Line four: yelled again, then left."


def test_phrase_words_keep_the_original_spacing():
    [match] = find("Then:\nshut\n   up now", "shut up", language="en")
    assert match.words == "shut\n   up"
    assert match.snippet == "Then: shut up now"


# The way back from folded to original positions


def test_positions_after_a_character_that_folds_longer():
    [match] = find("Die Straße ist idióta, sagt er", "idiót*")
    assert match.words == "idióta"
    assert match.snippet == "Die Straße ist idióta, sagt er"


def test_a_match_over_a_character_that_folds_longer():
    assert words("in der STRASSE und der Straße", "straße") == ["STRASSE", "Straße"]


def test_positions_after_combining_marks():
    text = "U\u0308gyfe\u0301l: ide\u0301ge\u0301s, idio\u0301ta!"
    [match] = find(text, "idiót*")
    assert match.words == "idio\u0301ta"
    assert match.snippet == text


def test_a_match_keeps_its_trailing_combining_mark():
    [match] = find("az u\u0308gyve\u0301d\u0301 jött", "ügyvéd")
    assert match.words == "u\u0308gyve\u0301d\u0301"


def test_compatibility_characters_fold_and_map_back():
    assert words("ﬁx it ASAP, ＡＳＡＰ!", "fix", "asap") == ["ﬁx", "ASAP", "ＡＳＡＰ"]


# check_term


@pytest.mark.parametrize(
    "term, problem",
    [
        ("", "empty term"),
        ("   ", "empty term"),
        ("idi*ot", "'*' may only end a word"),
        ("*idiot", "'*' may only end a word"),
        ("idiot**", "'*' may only end a word"),
        ("haasta* oi*keu", "'*' may only end a word"),
        ("*", "a stem needs at least 3 letters before '*'"),
        ("id*", "a stem needs at least 3 letters before '*'"),
        ("ő*", "a stem needs at least 3 letters before '*'"),
        ("shut u*", "a stem needs at least 3 letters before '*'"),
        ("- up", "'-' needs a letter or digit"),
    ],
)
def test_check_term_names_the_problem(term, problem):
    assert check_term(term) == problem


@pytest.mark.parametrize(
    "term", ["court", "idiót*", "per*", "haasta* oikeu*", "a.s.a.p", "don't know", "24/7", "PTAC"]
)
def test_check_term_accepts_good_terms(term):
    assert check_term(term) is None


# ----- html_to_text -----------------------------------------------------------------------


def test_html_to_text_drops_script_and_style_contents():
    note = "we will sue you &amp; your <script>alert(1)</script> lawyer"
    assert html_to_text(note) == "we will sue you & your lawyer"
    assert html_to_text("<STYLE>p { color: red }</STYLE><p>Hi</p>") == "Hi"
    assert html_to_text("ok <script>never closed") == "ok"


def test_html_to_text_breaks_lines_at_br_p_and_div():
    assert html_to_text("one<br>two<br/>three<p>four</p><div>five</div>six") == (
        "one\ntwo\nthree\nfour\nfive\nsix"
    )


def test_html_to_text_decodes_entities_once():
    assert html_to_text("&amp;lt;b&amp;gt; &eacute;s &#369;") == "&lt;b&gt; és ű"


def test_html_to_text_leaves_plain_text_with_angle_brackets_as_it_is():
    assert html_to_text("price < 100 and a<b, tom&jerry <3") == "price < 100 and a<b, tom&jerry <3"
    assert html_to_text("  Hello \n\n   world  ") == "Hello\nworld"


# ----- phrases in any order: parts joined by + ---------------------------------------------


def test_parts_match_in_any_order_within_the_window():
    assert words("They ignored our advice.", "ignor* + advice*") == ["ignored our advice"]
    assert words("Our advice? Ignored, as always.", "ignor* + advice*") == []  # two sentences
    assert words("The advice we gave them was ignored.", "ignor* + advice*") == [
        "advice we gave them was ignored"
    ]


def test_parts_further_apart_than_the_window_do_not_match():
    text = "They ignored the one small useful piece of advice."
    assert words(text, "ignor* + advice*") == []
    matcher = TermMatcher([TermList("t", terms={"en": ("ignor* + advice*",)}, window=7)])
    assert [m.words for m in matcher.find(text)["t"]] == [
        "ignored the one small useful piece of advice"
    ]


def test_a_part_may_be_a_phrase_and_parts_never_share_words():
    assert words("Says the colour was never agreed.", "never agreed + colour*") == [
        "colour was never agreed"
    ]
    assert words("agreed", "agree* + agreed") == []


def test_three_parts_must_all_be_near():
    assert words("He wants us to fix what broke.", "want* + fix* + broke") == [
        "wants us to fix what broke"
    ]
    assert words("He wants us to fix it.", "want* + fix* + broke") == []


def test_plus_must_join_two_parts():
    assert check_term("ignor* + advice*") is None
    assert check_term("+ advice") == "'+' must stand between two parts"
    assert check_term("advice +") == "'+' must stand between two parts"
    assert check_term("advice + + ignor*") == "'+' must stand between two parts"
    assert check_term("not + really", parts=False) is not None


# ----- alternatives of a word, joined by | -------------------------------------------------


def test_a_word_may_be_alternatives_each_a_word_or_a_stem():
    term = "talk*|spoke|speaks down to"
    assert words("He talked down to Anna.", term) == ["talked down to"]
    assert words("She spoke down to us again.", term) == ["spoke down to"]
    assert words("He speaks down to the team.", term) == ["speaks down to"]
    assert words("He spoken down to", term) == []  # spoke is a whole word, not a stem
    assert words("He looked down to the floor.", term) == []


def test_alternatives_work_in_every_part_of_a_plus_term():
    term = "ruin*|destroy*|wreck* + reputation|name|business"
    assert words("Said he would ruin our good name online.", term) == ["ruin our good name"]
    assert words("Our business? He will wreck it, he says.", term) == []  # two sentences
    assert words("Threatens that our reputation will be destroyed.", term) == [
        "reputation will be destroyed"
    ]
    assert words("He ruined the cake.", term) == []


def test_a_match_of_an_alternative_reports_the_term_as_written():
    [match] = find("Talked down to our designer.", "talk*|spoke down to", language="en")
    assert (match.term, match.words) == ("talk*|spoke down to", "Talked down to")


def test_alternatives_of_negation_cues_and_speakers():
    negation = Negation(cues={"en": ("not|never",)})
    speakers = Speakers(third_party={"en": ("previous|former agenc*",)}, client={"en": ("he",)})
    matcher = TermMatcher([TermList("t", terms={"en": ("rude",)})], negation, speakers)
    assert matcher.find("He was never rude.") == {}
    assert matcher.find("Their former agency was rude to them.") == {}
    assert [m.words for m in matcher.find("He was rude.")["t"]] == ["rude"]


@pytest.mark.parametrize(
    "term, problem",
    [
        ("talk*|", "'|' must stand between two alternatives of a word"),
        ("|talk* down", "'|' must stand between two alternatives of a word"),
        ("talk*||spoke down", "'|' must stand between two alternatives of a word"),
        ("ta*|spoke down", "a stem needs at least 3 letters before '*'"),
        ("a|b|c|d " * 5, "its alternatives make 1024 phrases, more than 256"),
    ],
)
def test_check_term_names_what_is_wrong_with_alternatives(term, problem):
    assert check_term(term) == problem


# ----- negation ------------------------------------------------------------------------------

NEGATION = Negation(
    cues={
        "en": ("not", "no", "never", "didn't"),
        "hu": ("nem", "sem", "egyáltalán nem"),
        "fi": ("ei", "eivät", "ole"),
        "lv": ("ne", "nav", "nekad"),
    },
    exclude=("not only", "nem csak"),
    boundaries=("but", "and", "de"),
)


def negated(text: str, *terms: str, language: str = "en") -> list[tuple[str, str]]:
    """Return ``(words, cancelled)`` of every match of ``terms`` in ``text``, with negation."""
    matcher = TermMatcher([TermList("t", terms={language: terms})], negation=NEGATION)
    return [(m.words, m.cancelled) for m in matcher.find_all(text).get("t", [])]


@pytest.mark.parametrize(
    "text, term, language, cue",
    [
        ("This is not urgent.", "urgent*", "en", "not"),
        ("He never yelled at anyone.", "yelled", "en", "never"),
        ("Nem sürgős, ráér jövő héten.", "sürgős*", "hu", "Nem"),
        ("Nem surgos, raer jovo heten.", "sürgős*", "hu", "Nem"),
        ("Egyáltalán nem volt bunkó.", "bunkó*", "hu", "Egyáltalán nem"),
        ("Sem kiabálni, sem fenyegetni nem szokott.", "kiabál*", "hu", "Sem"),
        ("Asia ei ole kiireellinen.", "kiireelli*", "fi", "ole"),
        ("Ei kiireellinen.", "kiireelli*", "fi", "Ei"),
        ("He eivät uhkailleet meitä.", "uhkail*", "fi", "eivät"),
        ("Tas nav steidzami.", "steidz*", "lv", "nav"),
        ("Viņš nekad nekliedza un nelamājās, ne draudēja.", "draudē*", "lv", "ne"),
    ],
)
def test_a_cue_shortly_before_a_term_cancels_it(text, term, language, cue):
    assert negated(text, term, language=language) == [
        (negated_words(text, term, language), f"negated by '{cue}'")
    ]


def negated_words(text: str, term: str, language: str) -> str:
    return find(text, term, language=language)[0].words


@pytest.mark.parametrize(
    "text",
    [
        "He didn't pay and yelled at Anna.",  # 'and' ends the cue's reach
        "Not the first time that he yelled at us.",  # too far
        "No, he yelled at us.",  # a comma ends the clause
        "Not only late: he yelled at us.",
        "He was not only late, he yelled at us.",
        "Nobody knows why he yelled.",  # not a cue: a word starting like one
    ],
)
def test_a_cue_out_of_reach_or_not_negating_leaves_the_match(text):
    assert negated(text, "yelled") == [("yelled", "")]


def test_a_cue_of_another_language_does_not_negate():
    # Latvian "no" is "from", Finnish "ne" is "they": only a cue of the term's language counts.
    assert negated("No klienta saņēmām draudus.", "draud*", language="lv") == [("draudus", "")]
    assert negated("Ne uhkailivat meitä.", "uhkail*", language="fi") == [("uhkailivat", "")]


def test_a_cue_inside_a_term_is_part_of_it():
    assert negated("He did not follow our advice.", "not follow* + advice*") == [
        ("not follow our advice", "")
    ]
    assert negated("They ignored our advice.", "ignor* + advice*") == [("ignored our advice", "")]
    assert negated("Our advice was not ignored.", "ignor* + advice*") == [
        ("advice was not ignored", "negated by 'not'")
    ]


def test_a_term_that_starts_with_a_cue_is_not_negated_again():
    assert negated("He never listens to us.", "never listen*") == [("never listens", "")]
    hungarian = negated("Soha nem hallgat ránk.", "nem hallgat* ránk", language="hu")
    assert hungarian == [("nem hallgat ránk", "")]


def test_find_leaves_out_cancelled_matches_and_find_all_says_why():
    matcher = TermMatcher([TermList("t", terms={"en": ("urgent*",)})], negation=NEGATION)
    assert matcher.find("Not urgent.") == {}
    [match] = matcher.find_all("Not urgent.")["t"]
    assert (match.words, match.snippet, match.cancelled) == (
        "urgent",
        "Not urgent.",
        "negated by 'Not'",
    )


# ----- speakers ------------------------------------------------------------------------------

SPEAKERS = Speakers(
    third_party={
        "en": ("their previous agency", "their customer*", "his customer*"),
        "hu": ("az előző ügynökség*", "ügyfelei*"),
    },
    client={"en": ("he", "she", "the client"), "hu": ("az ügyfél",)},
)


def said(text: str, *terms: str) -> list[tuple[str, str]]:
    """Return ``(words, cancelled)`` of every match of ``terms`` in ``text``, with speakers."""
    matcher = TermMatcher([TermList("t", terms={"en": terms})], speakers=SPEAKERS)
    return [(m.words, m.cancelled) for m in matcher.find_all(text).get("t", [])]


def test_a_third_partys_words_do_not_count():
    assert said("Their previous agency called them idiots.", "idiot*") == [
        ("idiots", "reported as the words of 'Their previous agency', not the client's")
    ]
    assert said("Says their customer threatened to sue them.", "threaten*") == [
        ("threatened", "reported as the words of 'their customer', not the client's")
    ]


def test_the_clients_own_words_count_however_reported():
    assert said("He called my colleague an idiot.", "idiot*") == [("idiot", "")]
    assert said("Their previous agency left because he yelled at them.", "yelled") == [
        ("yelled", "")
    ]
    assert said("Their customer is fine. He yelled at us.", "yelled") == [("yelled", "")]


def test_a_speaker_in_hungarian_and_without_accents():
    matcher = TermMatcher([TermList("t", terms={"hu": ("hülyé*",)})], speakers=SPEAKERS)
    [match] = matcher.find_all("Az elozo ugynokseg szerint hülyék voltak.")["t"]
    assert match.cancelled.startswith("reported as the words of 'Az elozo ugynokseg'")
    assert matcher.find("Az ügyfél hülyének nevezte a kollégámat.") != {}


# ----- harmless context ----------------------------------------------------------------------


def test_a_harmless_phrase_cancels_the_lists_matches_in_its_sentence():
    matcher = TermMatcher(
        [
            TermList(
                "competitor",
                terms={"en": ("other quotes", "competitor*")},
                harmless=("before sign*", "competitor* + analys*"),
            )
        ]
    )
    found = matcher.find_all(
        "Before signing they compared other quotes. Now he waves a competitor's price."
    )["competitor"]
    assert [(m.words, m.cancelled) for m in found] == [
        ("other quotes", "harmless in its sentence: 'Before signing'"),
        ("competitor", ""),
    ]
    [match] = matcher.find_all("We analysed their competitors for the brief.")["competitor"]
    assert match.cancelled == "harmless in its sentence: 'analysed their competitors'"


def test_exclude_says_what_excluded_a_match():
    matcher = TermMatcher([TermList("legal", terms={"en": ("court",)}, exclude=("food court",))])
    [match] = matcher.find_all("Lunch at the food court.")["legal"]
    assert match.cancelled == "excluded by 'food court'"


def test_first_matches_prefers_a_match_that_counts():
    matcher = TermMatcher([TermList("t", terms={"en": ("urgent*",)})], negation=NEGATION)
    assert matcher.first_matches("Not urgent. Now it is urgent!")["t"].cancelled == ""
    assert matcher.first_matches("Not urgent.")["t"].cancelled == "negated by 'Not'"
    assert matcher.first_matches("All calm.") == {}


# ----- long texts ----------------------------------------------------------------------------


def test_a_text_is_matched_on_its_first_part_only():
    matcher = TermMatcher([TermList("abuse", terms={"en": ("idiot*",)})])
    tail = " idiot" * 10
    assert matcher.find("x " * (MAX_TEXT_CHARS // 2) + tail) == {}
    assert len(matcher.find("idiot " + "x " * (MAX_TEXT_CHARS // 2))["abuse"]) == 1


def test_a_four_megabyte_note_of_insults_is_matched():
    # Each match reads only its neighbourhood, so this takes about a second, not minutes.
    note = "He called us idiots and yelled at Anna, again. " * (4_000_000 // 46)
    matcher = TermMatcher([TermList("abuse", terms={"en": ("idiot*", "yelled")})])
    found = matcher.find(note)["abuse"]
    read = note[:MAX_TEXT_CHARS]
    assert len(found) == len(re.findall(r"\bidiot|\byelled\b", read))
    assert found[-1].snippet.startswith("…") and len(found[-1].snippet) < 100
