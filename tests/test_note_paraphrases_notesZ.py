"""Behaviour told by structure, in four languages: each note raises its tag on its own.

A bank of owner notes of the kinds that word lists grown from one writer miss, written
by the notesZ helper in two fresh batches from the articles (001 §1, §3; 003 §1, §7)
and from how people write CRM notes, never from a judgement set: advice in one
sentence and the breakage and blame in the next; a question put to us with a
rhetorical "didn't"; harassment told by what was done (a touch, an invitation to a
room, a remark on looks, origin or gender); belittling told by quoting the client.
Every note is the only note of its client. ``RAISES`` notes must raise their tag,
``QUIET`` notes must not (advice followed, clinics' body parts, negated praise, a
third party's behaviour, quoted compliments). ``BEYOND_THE_LISTS`` and
``QUIET_NOT_YET`` hold what the matching still gets wrong (belittling by deeds, a
denial told inside the client's own quote; a third party without a speaker word,
business content that reads like the behaviour): when one starts to pass, move it.
``bench/notes_generalisation.py`` scores this bank with every other one.
"""

from __future__ import annotations

import pytest
from test_note_paraphrases_notesA import AS_OF, NOW, RULESETS, SETTINGS

from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.rules.ruleset import RulesetLibrary

from conftest import bank_cases, client, note

RAISES = {
    "ignores_advice": {
        "en": [
            "Recommended they keep the old redirects. They deleted them all. "
            "Traffic halved and he says we wrecked his SEO.",
            "We flagged the plugin as outdated in March. Site got hacked in "
            "October. Client blames us.",
            "Our advice: don't launch before the payment tests. They launched. "
            "Payments failed all weekend, and now it's our mess to clean up for "
            "free.",
            "Suggested a proper backup plan. He said no, too expensive. Disk "
            "died last week, and he wants us to recover everything at no cost.",
            "we advised against the free theme in the kickoff. site broke on "
            "the update, client blaming our dev",
            "I personally warned Peter the migration needed a freeze week. He "
            "skipped it. Orders were lost and his email today says it is "
            "entirely our fault.",
        ],
        "hu": [
            "Javasoltuk, hogy ne élesítsenek péntek este. Élesítettek. Hétvégén "
            "leállt az oldal, és szerinte mi vagyunk a hibásak.",
            "Figyelmeztettük, hogy a régi bővítmény veszélyes. Nem cserélte le. "
            "Feltörték az oldalt, most minket hibáztat.",
            "Mentést javasoltunk. Drágállta. Elszállt a szerver, és ingyen "
            "akarja, hogy visszaállítsuk.",
            "Figyelmeztettük a régi PHP miatt. Nem frissítettek. Összeomlott a "
            "bolt, és most minket hibáztatnak.",
        ],
        "fi": [
            "Suosittelimme varmuuskopiointia. Asiakas kieltäytyi. Nyt palvelin "
            "kaatui ja hän syyttää meitä.",
            "Varoitimme, että halpa palvelin ei kestä kampanjaa. "
            "Kampanjapäivänä sivu kaatui. Asiakas vaatii, että korjaamme sen "
            "ilmaiseksi.",
            "Neuvoimme testaamaan ennen julkaisua. Eivät testanneet. Kassa "
            "hajosi ja se on kuulemma meidän vikamme.",
            "Suosittelimme SSL-sertifikaattia jo keväällä. Ei ostettu. Nyt "
            "Google varoittaa kävijöitä ja asiakas syyttää meitä.",
        ],
        "lv": [
            "Ieteicām neatjaunināt sistēmu pirms svētkiem. Viņi atjaunināja. "
            "Veikals nestrādāja divas dienas, un tagad viņi vaino mūs.",
            "Brīdinājām, ka lēts hostings neizturēs. Neizturēja. Klients saka, "
            "ka tā ir mūsu vaina.",
            "Ieteicām rezerves kopijas. Atteicās. Serveris nomira, un viņš "
            "grib, lai mēs visu atjaunojam bez maksas.",
            "Brīdinājām par veco spraudni. Neklausīja. Lapu uzlauza, un tagad viņi vaino mūs.",
        ],
    },
    "abusive": {
        "en": [
            "Why didn't you idiots test it? That was his whole email.",
            "Can't you morons read a brief? he shouted at Tom.",
            'No greeting just "you\'re all useless idiots" on the call.',
            "Put his hand on Lena's knee under the table during the review.",
            "Keeps telling our junior designer she'd look better in a shorter skirt.",
            "Texted Kata at 11pm: 'come up to my room, we can discuss the logo there'.",
            "Said women shouldn't do backend and asked Marta if she was the secretary.",
            "Made fun of Ahmed's accent and asked if he was even legally allowed to work here.",
            "Grabbed Eva by the waist at the launch party.",
            "At the dinner he kept his hand on Sofia's thigh although she moved away twice.",
            "keeps asking our intern out, sent her a message 'join me in my room after "
            "the workshop'",
            "Remarks about Nora's body in every call. She does not want to join them anymore.",
            "Doesn't he know you can't call people useless idiots? He did it again today.",
        ],
        "hu": [
            "Nem tudtok olvasni, ti idióták? - ezt írta a tervre.",
            "A megbeszélésen megfogta Anna combját.",
            "Azt írta Katinak: 'gyere fel a szobámba, ott megbeszéljük'.",
            "Megjegyzést tett a kolléganőm alakjára, többször is.",
            "Szerinte nők ne programozzanak, ezt Zsófinak mondta.",
            "Megsimogatta Réka haját a tárgyalás végén, Réka nagyon kellemetlenül érezte magát.",
            "Viccelődött a fejlesztőnk akcentusán a csapata előtt.",
        ],
        "fi": [
            "Ettekö te idiootit osaa lukea? hän huusi puhelimessa.",
            "Kosketti Sannan reittä palaverissa.",
            "Kommentoi suunnittelijamme ulkonäköä koko ajan.",
            "Pyysi Liisaa hotellihuoneeseensa 'jatkamaan palaveria'.",
            "Sanoi Ainolle, että naiset eivät osaa koodata.",
            "Taputti harjoittelijaamme takapuolelle kahvihuoneessa.",
            "Vitsaili kehittäjämme ihonväristä palaverissa.",
        ],
        "lv": [
            "Vai jūs neprotat lasīt, idioti? viņš kliedza.",
            "Pieskārās Ilzes ceļgalam sapulces laikā.",
            "Komentēja mūsu dizaineres izskatu un augumu.",
            "Aicināja Lieni uz savu viesnīcas numuru 'pārrunāt projektu'.",
            "Teica Annai, ka sievietes nevar būt programmētājas.",
            "Apķēra mūsu projektu vadītāju ap vidukli pasākumā.",
            "Jokoja par mūsu programmētāja akcentu visu sapulces laiku.",
        ],
    },
    "disrespectful": {
        "en": [
            "'My nephew does this for fun,' he said when he saw the quote.",
            "He told Anna: 'you're just the pixel pusher, leave the thinking to me'.",
            "'Is this your first project?' he asked our lead developer in front of the board.",
            "His words to Tom: 'you're just a coder, you don't get a say in the design.'",
            'Reply to our proposal: "any student could do this in an afternoon".',
        ],
        "hu": [
            "'Ezt az unokaöcsém is megcsinálja egy délután alatt' - mondta az árajánlatra.",
            "Azt mondta Petinek: 'te csak gépelj, a gondolkodást hagyd rám'.",
            "A válasza: 'Ezt egy gyakornok is megcsinálná fél nap alatt.'",
        ],
        "fi": [
            "'Tämän tekee veljenpoikani viikonloppuna', hän sanoi tarjouksesta.",
            "Sanoi Mikolle: 'sinä vain piirrät, minä ajattelen'.",
            "Vastasi: 'Harjoittelija tekisi tämän päivässä.'",
        ],
        "lv": [
            "'To mans brāļadēls izdarītu vienā vakarā,' viņš teica par piedāvājumu.",
            "Teica Jānim: 'tu tikai zīmē, domāšanu atstāj man'.",
            "Atbildēja: 'Praktikants to izdarītu vienā dienā.'",
        ],
    },
    "dishonest": {
        "en": ["'We never agreed to a fixed price', he says now. It's in the signed offer."],
        "hu": ["'Soha nem egyeztünk meg fix árban' - állítja most, pedig alá is írta."],
        "lv": [
            "'Mēs nekad nevienojāmies par fiksētu cenu,' viņš tagad saka, lai gan "
            "līgums ir parakstīts."
        ],
    },
}


QUIET = {
    "ignores_advice": {
        "en": [
            "We recommended a backup. They bought it. When the disk failed we "
            "restored it in an hour; the client was delighted.",
            "Suggested a staged rollout, they agreed, the launch went fine.",
        ],
        "hu": [
            "Javasoltunk egy mentést, megvették. Amikor elszállt a lemez, egy "
            "óra alatt visszaállítottuk.",
            "Javasoltuk a frissítést, elfogadták, minden rendben ment.",
        ],
        "fi": [
            "Suosittelimme varmuuskopiota ja he ottivat sen. Kun levy hajosi, "
            "palautimme kaiken tunnissa.",
            "Suosittelimme varmuuskopiota, ja he ottivat sen käyttöön heti.",
        ],
        "lv": [
            "Ieteicām rezerves kopiju, viņi to nopirka. Kad disks sabojājās, "
            "atjaunojām stundas laikā.",
            "Ieteicām atjauninājumu, viņi piekrita, viss noritēja labi.",
        ],
    },
    "abusive": {
        "en": [
            "She told us her former boss touched her knee at work; that's why she "
            "founded her own firm.",
            "He told us his old supplier called his staff idiots; that's why he left them.",
            "Physiotherapy clinic: the site lists knee, hip and waist treatments.",
            "Not rude, just blunt?",
            'He said "we never felt you were idiots, don\'t worry" and laughed.',
            "Orthopaedic clinic: new page on knee and hip surgery.",
            "He wasn't rude or pushy once during the workshop.",
            "Client says 'you never raised your voice at us' - lovely feedback.",
        ],
        "hu": [
            "Az ügyfél vevője üvöltözött velük, ezért kérnek panaszűrlapot.",
            "Gyógytorna-klinika: a honlapon a térd- és csípőkezeléseket írjuk le.",
            "Nem volt bunkó, csak határozott.",
            "Ortopédiai rendelő: térd- és csípőműtétek oldala.",
        ],
        "fi": [
            "Asiakkaan oma asiakas huusi heidän myyjälleen, siksi he haluavat palautelomakkeen.",
            "Fysioterapiaklinikka: sivuilla esitellään polvi- ja lonkkahoidot.",
            "Ei ollut töykeä, vain suora.",
            "Ortopedinen klinikka: uusi sivu polvi- ja lonkkaleikkauksista.",
        ],
        "lv": [
            "Fizioterapijas klīnika: lapā aprakstām ceļgala un gūžas ārstēšanu.",
            "Nebija rupjš, tikai tiešs.",
            "Ortopēdijas klīnika: jauna lapa par ceļgala un gūžas operācijām.",
        ],
    },
    "legal_risk": {
        "en": [
            "Building a booking system for their mediation and litigation practice.",
            "Their app helps tenants sue landlords; we did the UX.",
        ],
        "hu": ["Ügyvédi iroda, a honlapjukon a perképviseleti szolgáltatásaikat írjuk le."],
        "fi": ["Asianajotoimisto: päivitimme heidän oikeudenkäyntipalveluidensa sivut."],
        "lv": ["Advokātu birojs; veidojam lapu par viņu tiesvedības pakalpojumiem."],
    },
    "disrespectful": {
        "en": [
            'He said "our old agency never respected us", that\'s why he came to us.',
            "He said: 'my son loves your app, he uses it every day.'",
        ],
        "hu": [
            "'Soha nem volt ilyen jó csapatunk' - mondta.",
            "Azt mondta: 'a fiam is imádja az alkalmazásukat'.",
        ],
        "fi": [
            "Hän kehui: 'ette ole koskaan tuottaneet pettymystä'.",
            "Sanoi: 'poikani käyttää sovellustanne joka päivä'.",
        ],
        "lv": [
            "Viņš teica: 'jūs nekad neesat mūs pievīluši'.",
            "Teica: 'mans dēls katru dienu lieto jūsu lietotni'.",
        ],
    },
}


BEYOND_THE_LISTS = {
    "disrespectful": {
        "en": [
            "Deleted our designer's comments from the doc and rewrote them himself.",
            "Makes our PM wait in the lobby for 40 minutes every time, then gives her five.",
            "Threw the printed proposal in the bin in front of us.",
        ],
        "hu": ["Kidobta a kinyomtatott tervet a szemünk előtt."],
        "fi": ["Heitti tulostetun ehdotuksen roskiin edessämme."],
        "lv": ["Izmeta izdrukāto piedāvājumu miskastē mūsu acu priekšā."],
    },
    "dishonest": {
        "en": [
            "Client: 'I never promised to pay for the extra pages.' It's in his email from May."
        ],
        "fi": [
            "'Emme ikinä sopineet kiinteästä hinnasta', hän väittää nyt, vaikka "
            "sopimus on allekirjoitettu."
        ],
    },
}


QUIET_NOT_YET = {
    "ignores_advice": {
        "en": [
            "We suggested an extra testing week and they took it. Launch was "
            "smooth, no blame anywhere.",
            "Client blames the courier for the delay. We advised express "
            "shipping next time and he agreed.",
        ]
    },
    "abusive": {
        "en": [
            "Client's customer screamed at their receptionist; they want a complaints form.",
            "Our new client runs harassment-prevention training; we build their course site.",
            "Their brand campaign: 'come to my room' is the hotel's slogan for the spa weekend.",
        ],
        "lv": ["Klienta pircējs kliedza uz viņu pārdevēju, tāpēc viņi grib sūdzību formu."],
    },
    "legal_risk": {"en": ["Client is a law firm; we redesigned their 'Court cases we won' page."]},
}


@pytest.fixture(scope="module")
def tags_by_note() -> dict[str, list[str]]:
    """Evaluate every note of the bank as the only note of its own client, in one run."""
    ruleset = RulesetLibrary([RULESETS], metric_units({})).load("freelancer")
    banks = (RAISES, QUIET, BEYOND_THE_LISTS, QUIET_NOT_YET)
    bodies = sorted(
        {b for bank in banks for langs in bank.values() for bs in langs.values() for b in bs}
    )
    clients = [client(f"c-{i}", notes=[note("2026-11-10 10:00", b)]) for i, b in enumerate(bodies)]
    results = evaluate(clients, ruleset, SETTINGS, AS_OF, NOW).results
    tags = {result.client.id: result.tags for result in results}
    return {body: tags[f"c-{i}"] for i, body in enumerate(bodies)}


@pytest.mark.parametrize("tag, body", bank_cases(RAISES))
def test_behaviour_told_without_its_label_raises_its_tag(tags_by_note, tag, body):
    assert tag in tags_by_note[body], f"{tag} not raised by {body!r}"


@pytest.mark.parametrize("tag, body", bank_cases(QUIET))
def test_a_note_that_only_looks_like_it_does_not(tags_by_note, tag, body):
    assert tag not in tags_by_note[body], f"{tag} raised by {body!r}"


@pytest.mark.parametrize("tag, body", bank_cases(BEYOND_THE_LISTS))
def test_what_structure_cannot_tell_yet_stays_listed(tags_by_note, tag, body):
    assert tag not in tags_by_note[body], f"{body!r} now raises {tag}: move it to RAISES"


@pytest.mark.parametrize("tag, body", bank_cases(QUIET_NOT_YET))
def test_false_alarms_known_today_stay_listed(tags_by_note, tag, body):
    assert tag in tags_by_note[body], f"{body!r} no longer raises {tag}: move it to QUIET"
