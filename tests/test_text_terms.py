"""The shipped term lists: real notes in every language raise them, everyday notes do not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crmflags.text import LANGUAGES, TermList, TermMatcher, check_term

#: The shipped term lists live in the ``terms:`` section of the base ruleset.
TERMS_PATH = Path(__file__).parent.parent / "rulesets" / "base.yaml"

LISTS = ("abuse", "disrespect", "legal", "competitor", "discount", "urgency")


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
            "He insults my staff.",
            "Client made threats against our designer.",
            "Received a threat from the client.",
            "He yells at the team.",
            "She screams at my assistant.",
            "He shouts at everyone.",
            "He swears at my assistant.",
        ],
        "legal": [
            "Says his lawyer will be in touch about the refund.",
            "They threatened to sue over the missed deadline.",
            "Mentioned taking us to court if we don't deliver by May.",
            "Received a cease and desist letter from their attorney.",
            "Says he'll sue.",
            "Says he’ll sue if we are late.",
            "He wants to sue.",
        ],
        "competitor": [
            "Another agency would do it for half the price, he says.",
            "Sent us a cheaper quote from a competitor and wants us to match it.",
            "Says he found someone on Fiverr who charges less.",
            "They are shopping around for other quotes after we agreed.",
            "Says he found someone cheaper for the same job.",
        ],
        "disrespect": [
            "Very condescending tone in the last email.",
            "Said we don't know what we're doing and called the design amateurish.",
            "He talked down to our junior developer again.",
            "You people are useless.",
        ],
        "discount": [
            "He asked for a 20% discount after we signed.",
            "Wants us to knock off 500 euros from the final invoice.",
            "Tried to haggle over every line of the invoice.",
            "Asked us to reduce the invoice because the launch slipped.",
            "Wants to renegotiate the price now that the work is done.",
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
            "Leordított a telefonban.",
            "Leüvöltötte a fejemet.",
            "Rákiabált a kolléganőmre.",
            "Lebaszott minket.",
            "Szarul dolgoztok.",
            "Szar az egész munkátok.",
            "Elküldött a francba.",
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
            "A másik cég olcsóbban csinálja.",
            "Máshol félárért megcsinálják.",
        ],
        "disrespect": [
            "Nagyon lekezelő volt a hangneme.",
            "Azt írta, hogy amatőrök vagyunk.",
            "Megkérdőjelezte a szakértelmünket a többiek előtt.",
        ],
        "discount": [
            "Kedvezményt kér a végszámlából.",
            "Utólag árengedményt kért.",
            "Minden tételen alkudozik.",
            "Azt kérte, engedjünk az árból.",
            "Csökkentsük a számlát, mert késett az indulás.",
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
            "Asiakas uhkaa meitä.",
            "He uhkasivat meitä.",
        ],
        "legal": [
            "Uhkasi haastaa meidät oikeuteen.",
            "Heidän asianajajansa otti yhteyttä.",
            "Asiakas vie asian käräjille.",
            "Vaatii vahingonkorvausta viivästyksestä.",
            "Asiakas uhkasi oikeusjutulla.",
            "Uhkaa oikeusjutulla.",
            "Asiakas nosti kanteen meitä vastaan.",
        ],
        "competitor": [
            "Kilpailijan tarjous oli halvempi.",
            "Sanoi saavansa saman muualta halvemmalla.",
            "Kilpailuttaa meitä kolmen toimiston kanssa.",
            "Toinen toimisto tekisi sen puoleen hintaan.",
            "Toinen firma tekee sen halvemmalla.",
            "Muualta saa halvemmalla.",
        ],
        "disrespect": [
            "Asiakas oli todella töykeä puhelimessa.",
            "Vähätteli meidän työtämme koko ajan.",
            "Kyseenalaisti ammattitaitomme palaverissa.",
        ],
        "discount": [
            "Asiakas pyysi alennusta loppulaskusta.",
            "Yrittää tinkiä hinnasta sopimuksen jälkeen.",
            "Haluaa, että laskemme hintaa kymmenen prosenttia.",
            "Pyysi hinnanalennusta viivästyksen takia.",
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
            "Klients piedraudēja mums.",
            "Klients nolamāja mūs.",
            "Klients uzkliedza manam kolēģim.",
        ],
        "legal": [
            "Draudēja iesūdzēt tiesā.",
            "Viņu advokāts atsūtīja vēstuli.",
            "Klients grib vērsties tiesā par kavējumu.",
            "Sola iesniegt prasību tiesā.",
            "Viņš sūdzēs mūs tiesā.",
            "Viņš teica, ka tiesāsies ar mums.",
        ],
        "competitor": [
            "Konkurenta piedāvājums bija lētāks.",
            "Saka, ka citur lētāk.",
            "Cita aģentūra to izdarītu par pusi lētāk.",
            "Atrada lētāku piegādātāju un grib atlaidi.",
            "Citur to var dabūt lētāk.",
            "Cits uzņēmums piedāvā par pusi lētāk.",
        ],
        "disrespect": [
            "Ļoti rupji runāja ar mūsu komandu.",
            "Nosauca mūs par amatieriem.",
            "Apšaubīja mūsu kompetenci sapulcē.",
        ],
        "discount": [
            "Klients pieprasa atlaidi.",
            "Grib, lai samazinām cenu par 20%.",
            "Kaulējās par katru rēķina rindu.",
            "Lūdza cenu samazinājumu pēc līguma parakstīšanas.",
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
        # our own mistakes and self-deprecating questions
        "Sorry for the stupid question, can we change the font?",
        "The client asked for an idiot-proof checkout.",
        "Stupid of me, I sent the wrong file.",
        # our own offers and staff
        "We sent a better offer with the new price.",
        "Another designer from our team takes over next week.",
        "Car wash client wants more suds in the promo video.",
        "The new logo screams luxury.",
        "Threat modelling workshop with their IT team.",
        "Hägglund signed the contract today.",
        "The price list is attached.",
        "Lowered the logo by ten pixels.",
        "Reduced the image sizes on the home page.",
        "Send the draft to Sue before Friday.",
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
        "Hülye kérdés, de lehet nagyobb a logó?",
        "Küldtünk egy másik ajánlatot az új árral.",
        "A másik fejlesztőnk veszi át a projektet.",
        "A betűk szára túl vékony a logón.",
        "A kedvezményezett neve hibás volt a számlán.",
        "Engedélyt kértünk a fotók használatára.",
        "Csökkent a betöltési idő a weboldalon.",
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
        "Tyhmä kysymys ehkä, mutta voiko fontin vaihtaa?",
        "Typerä virhe meiltä laskussa, korjattu heti.",
        "Asiakas huusi ilosta kun näki logon.",
        "Lähetimme toisen tarjouksen korjatulla hinnalla.",
        "Asiakas avaa toisen toimiston Tampereelle.",
        "Laskemme hinnan uudelleen ensi viikolla.",
        "Emme tingi laadusta.",
        "Alkuperäinen aikataulu pitää.",
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
        "Stulbs jautājums, bet vai varam mainīt fontu?",
        "Mēs pieļāvām stulbu kļūdu rēķinā.",
        "Viņš kliedza no prieka, kad redzēja logo.",
        "Nosūtījām citu piedāvājumu ar jauno cenu.",
        "Projektu pārņems citi dizaineri no mūsu komandas.",
        "Klients sūdzējās par kavēšanos.",
        "Viņi atlaida divus darbiniekus.",
        "Samazinājām attēlu izmēru mājaslapā.",
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
