"""The shipped term lists: real notes in every language raise them, everyday notes do not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crmflags.text import LANGUAGES, TermList, TermMatcher, check_term

#: The shipped term lists live in the ``terms:`` section of the base ruleset.
TERMS_PATH = Path(__file__).parent.parent / "rulesets" / "base.yaml"

LISTS = ("abuse", "disrespect", "legal", "competitor", "urgency")


def load_term_lists(path: Path) -> list[TermList]:
    """Return the term lists of the ``terms:`` mapping in a ruleset file."""
    terms = yaml.safe_load(path.read_text(encoding="utf-8"))["terms"]
    return [
        TermList(
            name=name,
            description=spec.get("description", ""),
            terms={language: tuple(spec[language]) for language in LANGUAGES if language in spec},
            exclude=tuple(spec.get("exclude", ())),
        )
        for name, spec in terms.items()
    ]


@pytest.fixture(scope="module")
def term_lists() -> dict[str, TermList]:
    return {term_list.name: term_list for term_list in load_term_lists(TERMS_PATH)}


@pytest.fixture(scope="module")
def matcher(term_lists) -> TermMatcher:
    return TermMatcher(list(term_lists.values()))


RAISES = {
    "en": {
        "abuse": [
            "He called us idiots in front of his whole team.",
            "The client yelled at Anna on the phone for ten minutes.",
            "Threatened to make us regret it if the site is late.",
            "Kept insulting our designer in the review comments.",
            "Told me to shut up during the call.",
        ],
        "legal": [
            "Says his lawyer will be in touch about the refund.",
            "They threatened to sue over the missed deadline.",
            "Mentioned taking us to court if we don't deliver by May.",
            "Received a cease and desist letter from their attorney.",
        ],
        "competitor": [
            "Another agency would do it for half the price, he says.",
            "Sent us a cheaper quote from a competitor and wants us to match it.",
            "Says he found someone on Fiverr who charges less.",
            "They are shopping around for other quotes after we agreed.",
        ],
        "disrespect": [
            "Very condescending tone in the last email.",
            "Said we don't know what we're doing and called the design amateurish.",
            "He talked down to our junior developer again.",
        ],
        "urgency": [
            "Needs the landing page ASAP.",
            "URGENT: fix the checkout right now",
            "Wants it done by end of day, no matter what.",
        ],
    },
    "hu": {
        "abuse": [
            "Azt mondta, idiótának tart minket.",
            "Telefonon üvöltözött a kolléganőmmel.",
            "Az ügyvédjükkel fenyegetőzött.",
            "Lehülyézett minket az egész csapata előtt.",
            "Kiabált és anyázott a megbeszélésen.",
        ],
        "legal": [
            "Beperelnek minket, ha nem készülünk el.",
            "Az ügyvédjükkel fenyegetőzött.",
            "Bíróságra viszi az ügyet a csúszás miatt.",
            "Jogi lépéseket helyezett kilátásba.",
            "Feljelentéssel fenyegetett.",
        ],
        "competitor": [
            "A konkurencia olcsóbb ajánlatot adott nekik.",
            "Azt mondta, egy másik ügynökség feleannyiért megcsinálná.",
            "Máshol olcsóbban megkapná, állítja.",
            "Talált olcsóbbat, úgyhogy engedjünk az árból.",
        ],
        "disrespect": [
            "Nagyon lekezelő volt a hangneme.",
            "Azt írta, hogy amatőrök vagyunk.",
            "Megkérdőjelezte a szakértelmünket a többiek előtt.",
        ],
        "urgency": [
            "Sürgősen kéri a javítást.",
            "Azonnal kell neki az új verzió.",
            "Tegnapra kellett volna, mondta.",
        ],
    },
    "fi": {
        "abuse": [
            "Asiakas kutsui meitä idiooteiksi palaverissa.",
            "Hän huusi puhelimessa projektipäällikölle.",
            "Uhkaili meitä sähköpostilla koko viikon.",
            "Haukkui suunnittelijamme ääliöksi.",
        ],
        "legal": [
            "Uhkasi haastaa meidät oikeuteen.",
            "Heidän asianajajansa otti yhteyttä.",
            "Asiakas vie asian käräjille.",
            "Vaatii vahingonkorvausta viivästyksestä.",
        ],
        "competitor": [
            "Kilpailijan tarjous oli halvempi.",
            "Sanoi saavansa saman muualta halvemmalla.",
            "Kilpailuttaa meitä kolmen toimiston kanssa.",
            "Toinen toimisto tekisi sen puoleen hintaan.",
        ],
        "disrespect": [
            "Asiakas oli todella töykeä puhelimessa.",
            "Vähätteli meidän työtämme koko ajan.",
            "Kyseenalaisti ammattitaitomme palaverissa.",
        ],
        "urgency": [
            "Tarvitsee korjauksen välittömästi.",
            "Kiireellinen pyyntö: sivusto on alhaalla.",
            "Haluaa uuden version huomiseen mennessä.",
        ],
    },
    "lv": {
        "abuse": [
            "Klients nosauca mūs par idiotiem.",
            "Viņš kliedza uz mūsu dizaineri.",
            "Draudēja ar sekām, ja termiņš netiks ievērots.",
            "Lamājās telefonā ar projekta vadītāju.",
        ],
        "legal": [
            "Draudēja iesūdzēt tiesā.",
            "Viņu advokāts atsūtīja vēstuli.",
            "Klients grib vērsties tiesā par kavējumu.",
            "Sola iesniegt prasību tiesā.",
        ],
        "competitor": [
            "Konkurenta piedāvājums bija lētāks.",
            "Saka, ka citur lētāk.",
            "Cita aģentūra to izdarītu par pusi lētāk.",
            "Atrada lētāku piegādātāju un grib atlaidi.",
        ],
        "disrespect": [
            "Ļoti rupji runāja ar mūsu komandu.",
            "Nosauca mūs par amatieriem.",
            "Apšaubīja mūsu kompetenci sapulcē.",
        ],
        "urgency": [
            "Lūdz steidzami salabot mājaslapu.",
            "Vajag nekavējoties nosūtīt failus.",
            "Gribēja to pēc iespējas ātrāk.",
        ],
    },
}

QUIET = {
    "en": [
        "the issue with the suede sofa",
        "Courtesy call to check in after the launch.",
        "Adjust the quote for the extra pages.",
        "Call Sue about the invoice next week.",
        "Pursue the new lead from the conference.",
        "Finished the competitor analysis for their marketing plan.",
        "The booking page for the tennis court is live.",
        "Mocked up the new homepage for their review.",
        "Paid the invoice today, thanks!",
        "Percentage of revenue from retainers is up.",
        "Both invoices were paid on time.",
        "The yellow banner looks great on mobile.",
    ],
    "hu": [
        "A perc alatt megírom.",
        "Öt perc múlva visszahívom.",
        "Heti meeting kedden tíz órakor.",
        "Kifizette a számlát, minden rendben.",
        "Az ajánlatot elfogadták, indulhat a munka.",
        "A jobb oldali menüt átrakjuk balra.",
        "Percenként számlázzuk a telefonos támogatást.",
        "A hibát lekezeltük, a rendszer stabil.",
        "Megbeszéltük a részleteket, jövő héten folytatjuk.",
        "Elkészült a konkurenciaelemzés a marketingtervhez.",
        "Az ügyfél nagyon kedves és türelmes volt.",
        "Mára elkészültünk a tervekkel, holnap bemutatjuk.",
        "Magunkkal vittük a laptopot a tárgyalásra.",
    ],
    "fi": [
        "Oikeus lomaan",
        "Hän oli oikeassa aikataulun suhteen.",
        "Asiakas maksoi laskun ajallaan.",
        "Kiitos nopeasta vastauksesta.",
        "Tapaaminen sovittu ensi viikolle.",
        "Logo tulee kirjan kanteen.",
        "Ei kiirettä, palataan asiaan ensi kuussa.",
        "Tarjous hyväksyttiin sellaisenaan.",
        "Kussakin vaiheessa asiakas hyväksyy luonnokset.",
        "Toinen taho hoitaa painatuksen.",
        "Lama vaikutti asiakkaan budjettiin.",
        "Myyvät vanhat näytöt pilkkahintaan.",
        "Heti kun aineisto tulee, aloitetaan.",
        "Asiakkaalla on oikeus kahteen korjauskierrokseen.",
        "Oikeudet kuviin siirtyvät asiakkaalle.",
    ],
    "lv": [
        "Tā ir tiesa, ka termiņš ir piektdien.",
        "Lūdzu paskatīties vēlreiz uz dizainu.",
        "Klients lūdza paskaidrot rēķinu.",
        "Abus rēķinus apmaksāja laikā.",
        "Draudzīgs klients, patīkama sadarbība.",
        "Paldies par rūpēm un atsaucību.",
        "Fons ir pārāk blāvs.",
        "Viņam bija insults, projekts ir uz pauzi.",
        "Piedāvājums apstiprināts, sākam darbu.",
        "Citādi viss kārtībā.",
        "Gleznas karājas pie sienas birojā.",
        "Tūlīt atzvanīšu klientam.",
        "Konkurētspējīga cena, klients apmierināts.",
        "Esam pabeiguši konkurentu analīzi.",
        "Juridiskā adrese mainīta rēķinā.",
    ],
}


def _raising_cases():
    for language, lists in RAISES.items():
        for name, notes in lists.items():
            for note in notes:
                yield pytest.param(name, note, id=f"{language}-{name}-{note[:40]}")


def _quiet_cases():
    for language, notes in QUIET.items():
        for note in notes:
            yield pytest.param(note, id=f"{language}-{note[:40]}")


@pytest.mark.parametrize("name, note", list(_raising_cases()))
def test_a_real_note_raises_its_list(matcher, name, note):
    found = matcher.find(note)
    assert name in found, f"{name} not raised; found {found}"


@pytest.mark.parametrize("note", list(_quiet_cases()))
def test_an_everyday_note_matches_nothing(matcher, note):
    assert matcher.find(note) == {}


def test_every_list_is_shipped_in_every_language(term_lists):
    assert sorted(term_lists) == sorted(LISTS)
    for term_list in term_lists.values():
        assert term_list.description
        assert sorted(term_list.terms) == sorted(LANGUAGES), term_list.name
        assert all(len(terms) >= 12 for terms in term_list.terms.values()), term_list.name


def test_every_shipped_term_is_valid_and_listed_once(term_lists):
    for term_list in term_lists.values():
        for language, terms in term_list.terms.items():
            assert len(set(terms)) == len(terms), f"{term_list.name}.{language} repeats a term"
            for term in (*terms, *term_list.exclude):
                assert check_term(term) is None, f"{term_list.name}.{language}: {term!r}"
