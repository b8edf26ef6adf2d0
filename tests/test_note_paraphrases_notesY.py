"""How owners write abuse, legal risk, competitors, disputes, rush, extras and changes of mind.

A paraphrase bank for seven tags of the shipped ``freelancer`` ruleset in English,
Hungarian, Finnish and Latvian, written by the notesY helper from the source articles
(000; 001 §2, §3; 003 §1, §3, §5, §8, §9) and from how CRM notes are written: terse
shorthand, long angry prose, staff quoting the client, typos and notes without accents.
It was written in four fresh batches, each scored once before any list was tuned on it
(56%, 38%, 41% and 62% of the notes found): the lists were widened by concept after the
first three (the verbs, nouns and constructions of each behaviour), not by copying the
sentences; the fourth, written last, was not tuned on, so its misses stand below.

Every note in ``RAISES`` is the only note of a client, repeated as often as its tag's
threshold needs (three rush notes, two disputing notes; one note for the rest), and must
give that client its tag; an abusive note must reach ``warning``. Every note in ``QUIET``
(negated, a third party's words, harmless work, praise) must not. ``BEYOND_THE_LISTS``
holds the owners' wordings the lists still miss (docs/conditions.md says why): when one
starts to raise its tag, move it to ``RAISES``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.rules.ruleset import RulesetLibrary
from crmflags.settings import Settings

from conftest import bank_cases, client, day, note

RULESETS = Path(__file__).parent.parent / "rulesets"
AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 23, 59, 59)
SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")
#: How many notes of the behaviour each tag needs (its rule's `*_notes` threshold).
COPIES = {"unrealistic_expectations": 3, "invoice_disputes": 2}
DAYS = ("2026-11-10 10:00", "2026-11-03 10:00", "2026-10-27 10:00")

RAISES = {
    "abusive": {
        "en": [
            "CALL W/ MR K: screamed down the phone for ten minutes, called Lisa a useless cow.",
            "He told our junior she was thick as a brick and should go back to school.",
            "Said if we miss launch he will 'make sure every business in town hears "
            "what frauds we are'.",
            "Client sent an email full of capitals and swearing at 2am.",
            "Threatened to come to the office and 'sort this out the old way'.",
            "Kept calling me 'darling' and asked if my husband lets me work this late.",
            "he commented on Sara's legs again during the video call. she left crying",
            "Got aggressive in the meeting, jabbed his finger at Tom and told him to shut it.",
            "'You lot are a bunch of incompetent clowns' - his exact words on the call.",
            "Stood over our designer and shouted until she cried.",
            "Texted Ana a photo of himself and asked her to come to his hotel.",
            "mtg 14/11 - client v hostile, swore at PM twice, left early",
            "I have never been spoken to like that. He called me a brainless little "
            "girl and said I'd be sacked if he had his way.",
            "Staff note (Jo): he asked me for a hug again after the review, I said no, "
            "he laughed and did it anyway.",
            "'Pay attention, you moron' - in writing, in the project channel.",
            "Phoned at 9pm, ranting, told Pete he'd 'finish him' in this industry.",
            "Said to our intern that she'd get further in life if she wore shorter skirts.",
            "Client: 'people who cross me tend to regret it'.",
            "Bellowed at the receptionist because the coffee was cold.",
            "He keeps sending Mia winky messages late at night asking what she's wearing.",
            "Called the dev team a pack of useless monkeys on the all-hands.",
            "- call 3pm: yelling again, called Ben a 'f***ing idiot'",
            "Anna (staff): 'he said he'd make my life hell if the banner is late'",
            "After the demo he put his hand on my colleague's thigh under the table.",
            "he was sooo rude, screaming, throwing his phone on the table",
            "Told us we are 'parasites' and he'll see to it we never get another client in Riga.",
            "Keeps commenting on Kate's weight in every meeting.",
            "Slammed his laptop shut and called us crooks.",
        ],
        "hu": [
            "Telefonon végigordította a beszélgetést, és nyomorék barmoknak nevezett minket.",
            "Azt mondta Katának, hogy buta liba, és menjen vissza a konyhába.",
            "Megfenyegetett, hogy ha nem lesz kész pénteken, gondoskodik róla, hogy "
            "senki ne dolgozzon velünk.",
            "Káromkodva ment ki a tárgyalóból, becsapta az ajtót.",
            "Az ügyfél azt írta, hogy 'még megkeserülitek ezt'.",
            "Megint a kolléganőm fenekéről tett megjegyzést, undorító.",
            "Hülye idiótáknak nevezte a csapatot egy e-mailben, a főnöke is cc-ben volt.",
            "ordibalt a telefonba, alig lehetett szohoz jutni",
            "Azt mondta, tudja, hol parkolunk, és ne lepődjünk meg, ha valami történik az autóval.",
            "Kétszer is randira hívta Nórát, pedig az első alkalommal nemet mondott.",
            "megb. 11.14 - ügyfél nagyon agresszív volt, kétszer elküldött minket a francba",
            "Soha senki nem beszélt még így velem. Buta kislánynak nevezett, és azt "
            "mondta, ha rajta múlna, már ki lennék rúgva.",
            "Munkatárs (Jutka): megint átölelt a megbeszélés után, pedig mondtam, hogy ne.",
            "'Figyelj már oda, te hülye' - írásban, a projektcsatornán.",
            "Este kilenckor telefonált, tombolt, és azt mondta Péternek, hogy 'ebben a "
            "szakmában végeztél'.",
            "Azt mondta a gyakornokunknak, hogy rövidebb szoknyában többre vinné.",
            "Az ügyfél: 'aki keresztbe tesz nekem, az megbánja'.",
            "Lehordta a recepcióst, mert hideg volt a kávé.",
            "Késő este kacsintós üzeneteket küld Millának, hogy mit visel éppen.",
            "- hivas 15h: megint uvoltott, idiotanak nevezte Bencet",
            "Anna (kolléga): 'azt mondta, pokollá teszi az életemet, ha késik a banner'",
            "A demó után az asztal alatt a kolléganőm combjára tette a kezét.",
            "Annyira bunkó volt, ordított, és az asztalra vágta a telefonját.",
            "Élősködőknek nevezett minket, és gondoskodik róla, hogy Budapesten soha "
            "többé ne kapjunk ügyfelet.",
            "Minden megbeszélésen megjegyzést tesz Kati súlyára.",
            "Lecsapta a laptopját, és csalóknak nevezett minket.",
        ],
        "fi": [
            "Asiakas huusi puhelimessa ja sanoi meitä täysiksi idiooteiksi.",
            "Haukkui suunnittelijamme ääliöksi koko palaverin edessä.",
            "Uhkasi, että jos emme toimita perjantaina, hän pitää huolen että kukaan "
            "ei enää osta meiltä.",
            "Kiroili ja paiskoi ovia lähtiessään.",
            "Sanoi Liisalle, että hän on liian nätti ymmärtämään budjetteja.",
            "Kommentoi taas harjoittelijan vartaloa, harjoittelija ei halua enää tulla "
            "palavereihin.",
            "raivosi puhelimessa, käytti todella rumaa kieltä",
            "Lähetti viestin: 'Te tulette vielä katumaan tätä.'",
            "Kutsui meitä pelleiksi ja huijareiksi sähköpostissa.",
            "Nimitteli projektipäällikköämme tyhmäksi akaksi.",
            "palaveri 14.11. - asiakas todella aggressiivinen, kiroili "
            "projektipäällikölle kahdesti",
            "Kukaan ei ole puhunut minulle noin. Hän sanoi minua aivottomaksi tytöksi "
            "ja että saisin potkut, jos hän päättäisi.",
            "Työntekijä (Jonna): halusi taas halata palaverin jälkeen, sanoin ei, hän "
            "nauroi ja halasi silti.",
            "'Keskity nyt, senkin idiootti' - kirjallisesti projektikanavalla.",
            "Soitti klo 21, raivosi ja sanoi Petrille, että tämä on 'loppu tällä alalla'.",
            "Sanoi harjoittelijallemme, että lyhyemmällä hameella pääsisi pidemmälle.",
            "Asiakas: 'ne jotka asettuvat minua vastaan, katuvat sitä'.",
            "Huusi vastaanottovirkailijalle, koska kahvi oli kylmää.",
            "- puhelu klo 15: huusi taas, sanoi Bennyä idiootiksi",
            "Anna (työntekijä): 'hän sanoi tekevänsä elämästäni helvettiä, jos banneri myöhästyy'",
            "Demon jälkeen hän laittoi kätensä kollegani reidelle pöydän alla.",
            "Todella töykeä, huusi ja paiskasi puhelimensa pöytään.",
            "Sanoi meitä loisiksi ja lupasi pitää huolen, ettei kukaan enää tilaa meiltä mitään.",
            "Kommentoi Katin painoa joka palaverissa.",
            "Löi läppärinsä kiinni ja haukkui meitä huijareiksi.",
        ],
        "lv": [
            "Klients kliedza uz mūsu dizaineri un nosauca viņu par muļķi.",
            "Viņš draudēja, ka mūs sūdzēs un iznīcinās mūsu reputāciju.",
            "Zvanā lamājās un bļāva vairāk nekā desmit minūtes.",
            "Teica, lai mēs labāk uzmanāmies, jo viņš zina, kur atrodas mūsu birojs.",
            "Nosauca mūs par nejēgām un krāpniekiem visu kolēģu priekšā.",
            "Vairākas reizes komentēja mūsu praktikantes augumu, viņai bija ļoti neērti.",
            "klients lamajas telefona, sauca mus par idiotiem",
            "Uzaicināja asistenti uz viesnīcas numuru pēc sapulces.",
            "Rakstīja e-pastā, ka mēs to vēl nožēlosim.",
            "Pacēla balsi un sita ar dūri pa galdu.",
            "sapulce 14.11. - klients ļoti agresīvs, divreiz lamāja projektu vadītāju",
            "Neviens ar mani tā nav runājis. Viņš nosauca mani par smadzeņu bez "
            "meiteni un teica, ka es būtu atlaista, ja viņš lemtu.",
            "Darbiniece (Jana): viņš atkal gribēja mani apskaut pēc sapulces, es teicu "
            "nē, viņš pasmējās un tik un tā apskāva.",
            "'Esi uzmanīgs, tu idiots' - rakstiski projekta kanālā.",
            "Zvanīja plkst. 21, trakoja un teica Pēterim, ka viņam šajā nozarē ir beigas.",
            "Teica mūsu praktikantei, ka ar īsākiem svārkiem viņa tiktu tālāk.",
            "Klients: 'tie, kas man stājas ceļā, to nožēlo'.",
            "Uzbļāva administratorei, jo kafija bija auksta.",
            "- zvans 15:00: atkal kliedza, nosauca Benu par idiotu",
            "Anna (darbiniece): 'viņš teica, ka padarīs manu dzīvi par elli, ja baneris kavēsies'",
            "Pēc demonstrācijas viņš zem galda uzlika roku manai kolēģei uz augšstilba.",
            "Bija ļoti rupjš, kliedza un nosvieda telefonu uz galda.",
            "Nosauca mūs par parazītiem un teica, ka parūpēsies, lai mēs Rīgā vairs "
            "nedabūtu neviena klienta.",
            "Katrā sapulcē komentē Kates svaru.",
            "Aizcirta klēpjdatoru un nosauca mūs par krāpniekiem.",
        ],
    },
    "legal_risk": {
        "en": [
            "Said his lawyer will be in touch about the delay.",
            "Threatening to take us to small claims over the deposit.",
            "Wants us to put a different date on the March invoice so it fits his grant.",
            "Asked us to copy the competitor's product photos onto his shop, no permission.",
            "Client says he'll report us to the consumer watchdog.",
            "Mentioned he is 'talking to legal' about the missed deadline.",
            "They want us to write 30 five-star Google reviews under made-up names.",
            "Asked to be paid part in cash, off the invoice.",
            "Legal letter arrived today demanding compensation for the downtime.",
            "wants to use a song from Spotify in the ad without paying the rights",
            "call - he's 'passing this to his solicitors' if the launch slips again",
            "Got a letter before action from their legal firm today.",
            "Wants the invoice made out to his brother's company so he can claim it back.",
            "Asked us to put a fake 'as featured in Forbes' badge on the homepage.",
            "Says he'll go to the press and tell them we scam small businesses.",
            "Threatens a claim for lost revenue during the outage.",
            "He wants us to scrape emails from a competitor's customer list for his newsletter.",
            "Reported us to the data protection authority over the cookie banner, apparently.",
            "- client mentions 'my lawyer says you owe us the deposit back'",
            "asked us to remove the 'results not guaranteed' line from the "
            "supplement page so it says it cures joint pain",
            "Wants us to use photos from a stock site we have no licence for, 'nobody checks'.",
            "He'll file a complaint with the chamber of commerce, he says.",
            "His solicitor sent a formal notice about the missed launch date.",
        ],
        "hu": [
            "Azt mondta, átadja az ügyet az ügyvédjének.",
            "Bírósággal fenyegetőzik, ha nem adjuk vissza az előleget.",
            "Azt kérte, hogy a számlát tavalyi dátummal állítsuk ki.",
            "Feljelentéssel fenyegetett a késés miatt.",
            "Kártérítést követel a leállás miatt.",
            "Azt akarja, hogy kitalált vásárlói véleményeket írjunk a webshopjába.",
            "Ügyvédi felszólítást kaptunk tőlük.",
            "Készpénzben fizetne, számla nélkül.",
            "tel. - 'átadja az ügyvédeinek', ha megint csúszik az indulás",
            "A számlát a sógora cégére kéri, hogy le tudja írni.",
            "Azt kérte, tegyünk ki egy hamis 'Forbesban is megjelent' jelvényt a főoldalra.",
            "Azt mondja, elmegy a sajtóhoz, hogy átverjük a kisvállalkozásokat.",
            "Kártérítési igénnyel fenyeget a kiesett bevétel miatt.",
            "Feljelentett minket az adatvédelmi hatóságnál a süti-sáv miatt.",
            "- ugyfel: 'az ugyvedem szerint vissza kell adniuk az eloleget'",
            "Azt kéri, írjuk a táplálékkiegészítő oldalára, hogy meggyógyítja az "
            "ízületi fájdalmat.",
            "Olyan stockfotókat akar használni, amire nincs licencünk, 'úgysem ellenőrzi senki'.",
            "Panaszt tesz ellenünk a kamaránál, azt mondja.",
            "Azt kérte, számlázzuk 'tanácsadásként', hogy elszámolhassa az uniós pályázatából.",
            "Az ügyvédje hivatalos felszólítást küldött az elcsúszott indulás miatt.",
        ],
        "fi": [
            "Asiakas uhkasi viedä asian oikeuteen.",
            "Sanoi, että hänen asianajajansa ottaa meihin yhteyttä.",
            "Haluaa, että laskun päivämäärä muutetaan viime vuodelle.",
            "Vaatii vahingonkorvausta myöhästymisestä.",
            "Pyysi meitä kirjoittamaan keksittyjä asiakasarvioita.",
            "Uhkasi tehdä meistä valituksen kuluttajaneuvontaan.",
            "Haluaa maksaa osan käteisellä ilman kuittia.",
            "Lakimiehen kirje tuli tänään, he vaativat rahojaan takaisin.",
            "puh. - 'antaa tämän lakimiehilleen', jos julkaisu taas viivästyy",
            "Saimme tänään maksuvaatimuksen heidän lakitoimistoltaan.",
            "Haluaa laskun veljensä yrityksen nimiin, jotta saa vähentää sen.",
            "Pyysi laittamaan etusivulle väärennetyn 'Forbesissa esillä' -merkin.",
            "Sanoo menevänsä lehdistöön kertomaan, että huijaamme pienyrityksiä.",
            "Uhkaa korvausvaatimuksella katkon aikaisista menetyksistä.",
            "Teki meistä ilmoituksen tietosuojavaltuutetulle evästebannerista.",
            "- asiakas: 'lakimieheni mukaan olette velkaa ennakkomaksun'",
            "Haluaa, että lisäravinnesivulla lukee, että tuote parantaa nivelkivut.",
            "Haluaa käyttää kuvapankin kuvia, joihin meillä ei ole lisenssiä, "
            "'kukaan ei tarkista'.",
            "Aikoo tehdä meistä valituksen kauppakamariin.",
            "Haluaa suosittelusivulle lainauksia 'asiakkailta', jotka keksimme itse.",
            "Pyysi laskuttamaan työn 'konsultointina', jotta se menee EU-tuen piiriin.",
            "Hänen asianajajansa lähetti virallisen huomautuksen myöhästyneestä julkaisusta.",
        ],
        "lv": [
            "Klients teica, ka nodos lietu savam advokātam.",
            "Draud iesūdzēt mūs tiesā par kavēšanos.",
            "Lūdza izrakstīt rēķinu ar pagājušā gada datumu.",
            "Pieprasa kompensāciju par zaudējumiem.",
            "Grib, lai uzrakstām izdomātas atsauksmes viņu mājaslapā.",
            "Draudēja sūdzēties PTAC.",
            "Gribēja samaksāt skaidrā naudā bez rēķina.",
            "Saņēmām juridisku brīdinājumu no viņu jurista.",
            "zvans - 'nodos to saviem advokātiem', ja palaišana atkal kavēsies",
            "Šodien saņēmām brīdinājuma vēstuli no viņu juridiskā biroja.",
            "Grib rēķinu uz sava brāļa uzņēmumu, lai varētu to norakstīt.",
            "Lūdza ielikt sākumlapā viltotu 'kā redzēts Forbes' zīmi.",
            "Saka, ka ies pie žurnālistiem stāstīt, ka mēs krāpjam mazos uzņēmumus.",
            "Draud ar prasību par zaudētajiem ienākumiem.",
            "Ziņoja par mums Datu valsts inspekcijai sīkdatņu joslas dēļ.",
            "- klients: 'mans jurists saka, ka jums jāatdod avanss'",
            "Grib, lai uztura bagātinātāja lapā rakstām, ka tas izārstē locītavu sāpes.",
            "Grib izmantot fotobankas bildes, kurām mums nav licences, 'neviens nepārbauda'.",
            "Saka, ka iesniegs sūdzību par mums tirdzniecības kamerā.",
            "Grib, lai atsauksmju lapā ir citāti no 'klientiem', kurus mēs izdomājam.",
            "Lūdza rēķinā darbu nosaukt par 'konsultācijām', lai to varētu iekļaut ES projektā.",
            "Viņa advokāts atsūtīja oficiālu paziņojumu par nokavēto palaišanu.",
        ],
    },
    "plays_competitors": {
        "en": [
            "Two weeks after signing he sends me a quote from another agency at half our price.",
            "Says a freelancer on Upwork offered the same for 600.",
            "Keeps mentioning that XY Studio charges 20% less.",
            "'Your competitors would do this for free to get us as a client.'",
            "Now wants us to match the offer he got from a Polish dev shop.",
            "Forwarded a cheaper bid mid-project and asked why we cost more.",
            "his nephew could do it cheaper apparently",
            "Threatening to move to a cheaper agency unless we drop the rate.",
            "3wks after kickoff: 'agency down the road said they'd do it for 30% less'",
            "Sent me a screenshot of a Fiverr gig at 150 and asked why we charge 2k.",
            "Wants our day rate matched to the one a Bulgarian team quoted him last week.",
            "Playing us against another studio now that the contract is signed.",
            "'Honestly, my old web guy would do this for peanuts.'",
            "He's using the other agency's bid to push our price down mid-project.",
            "- after sign-off: 'an agency in Tallinn quoted 40% under you'",
            "He waved a cheaper proposal from another studio at me in the meeting.",
            "Says a former employee of ours offered to finish the job cheaper.",
            "Mid-project he forwarded a rival's price list and asked us to 'do better'.",
            "Says his cousin's startup will build the app for half, so we "
            "should think about our rate.",
        ],
        "hu": [
            "Az aláírás után két héttel egy másik ügynökség olcsóbb ajánlatát küldte át.",
            "Azt mondja, egy szabadúszó feleannyiért megcsinálná.",
            "Folyton azzal jön, hogy a konkurencia olcsóbb.",
            "A projekt közepén mutatott egy másik cégtől kapott árajánlatot.",
            "Szerinte az unokaöccse ingyen megcsinálná.",
            "Azzal fenyeget, hogy átmegy egy olcsóbb stúdióhoz, ha nem engedünk.",
            "3 héttel a kickoff után: 'a szomszéd ügynökség 30%-kal olcsóbban csinálná'",
            "Küldött egy képernyőképet egy 50 ezres Fiverr ajánlatról, hogy "
            "miért kérünk mi többet.",
            "Azt akarja, hogy a napidíjunkat igazítsuk egy bolgár csapat ajánlatához.",
            "Az aláírás után most kijátszik minket egy másik stúdióval szemben.",
            "'Őszintén, a régi webes srácom fillérekért megcsinálná.'",
            "- aláírás után: 'egy tallinni ügynökség 40%-kal olcsóbb ajánlatot adott'",
            "A megbeszélésen egy másik stúdió olcsóbb ajánlatát lobogtatta.",
            "A projekt közepén továbbította egy konkurens árlistáját, hogy 'hozzuk ezt'.",
            "Azt mondja, az unokatestvére startupja feleannyiért megcsinálja az appot.",
        ],
        "fi": [
            "Allekirjoituksen jälkeen lähetti toisen toimiston halvemman tarjouksen.",
            "Sanoo, että freelancer tekisi saman puoleen hintaan.",
            "Vertaa meitä jatkuvasti kilpailijan hintoihin.",
            "Uhkaa vaihtaa halvempaan toimistoon, jos emme laske hintaa.",
            "Kesken projektin hän kertoi saaneensa muualta edullisemman tarjouksen.",
            "Hänen serkkunsa tekisi kuulemma saman halvemmalla.",
            "3 vk aloituksen jälkeen: 'naapuritoimisto tekisi tämän 30 % halvemmalla'",
            "Lähetti kuvakaappauksen Fiverr-tarjouksesta ja kysyi, miksi me veloitamme enemmän.",
            "Haluaa päivähintamme samaksi kuin bulgarialaisen tiimin tarjous.",
            "Sopimuksen jälkeen hän pelaa meitä toista studiota vastaan.",
            "'Rehellisesti, vanha nettikaverini tekisi tämän pilkkahintaan.'",
            "- allekirjoituksen jälkeen: 'tallinnalainen toimisto tarjosi 40 % halvemmalla'",
            "Heilutti palaverissa toisen studion halvempaa tarjousta.",
            "Kesken projektin välitti kilpailijan hinnaston ja pyysi meitä 'pistämään paremmaksi'.",
            "Sanoo serkkunsa startupin tekevän sovelluksen puoleen hintaan.",
        ],
        "lv": [
            "Saka, ka mūsu bijušais darbinieks piedāvāja pabeigt darbu lētāk.",
            "Pēc līguma parakstīšanas atsūtīja citas aģentūras lētāku piedāvājumu.",
            "Saka, ka frīlanseris to izdarītu par pusi lētāk.",
            "Nemitīgi salīdzina mūs ar konkurentu cenām.",
            "Draud pāriet pie lētākas studijas, ja nesamazināsim cenu.",
            "Projekta vidū parādīja cita uzņēmuma piedāvājumu.",
            "Viņa brālēns to uztaisītu lētāk.",
            "3 nedēļas pēc sākuma: 'blakus aģentūra to izdarītu par 30% lētāk'",
            "Atsūtīja ekrānuzņēmumu ar Fiverr piedāvājumu un jautāja, kāpēc mēs prasām vairāk.",
            "Grib, lai mūsu dienas likme būtu kā bulgāru komandas piedāvājumā.",
            "Pēc līguma parakstīšanas viņš mūs izspēlē pret citu studiju.",
            "'Godīgi sakot, mans vecais mājaslapu puisis to izdarītu par grašiem.'",
            "- pēc parakstīšanas: 'Tallinas aģentūra piedāvāja par 40% lētāk'",
            "Sapulcē vicināja citas studijas lētāku piedāvājumu.",
            "Projekta vidū pārsūtīja konkurenta cenrādi un lūdza 'izdarīt labāk'.",
            "Saka, ka brālēna jaunuzņēmums uztaisīs lietotni par pusi lētāk.",
        ],
    },
    "invoice_disputes": {
        "en": [
            "Disputes the October invoice, says design hours were never approved.",
            "Refuses to pay the second instalment until we 'prove' the hours.",
            "Asked for 15% off the final invoice because of the delay.",
            "Again wants money off - this time for a typo we fixed in an hour.",
            "Says our invoice is way too high and he'll pay half.",
            "Sent the bill back with every line crossed out.",
            "Complains about every invoice; now wants a credit note for the logo.",
            "Holding back payment until the site 'works properly'.",
            "inv 2026-114: client disputing 6h of QA, 'never asked for testing'",
            "He's knocked 20% off the invoice himself and paid the rest.",
            "Will only settle the bill if we throw in the extra banner for free.",
            "Pushing back on the invoice again - says the hours are inflated.",
            "Asked for a 'goodwill reduction' on an invoice he agreed last month.",
            "Payment short by 400 EUR, he says that's 'fair for the delays'.",
            "Asking for money back on the photoshoot because he doesn't like his own face.",
            "Argued over every line of the October invoice for an hour.",
            "Refuses to pay for the second round of edits, says it was 'our mistake'.",
        ],
        "hu": [
            "Vitatja az októberi számlát, szerinte sok az óra.",
            "Nem hajlandó kifizetni a második részletet.",
            "Megint kedvezményt kér a végszámlából.",
            "Szerinte túl sok a számla, csak a felét fizeti ki.",
            "Jóváírást kér, mert egy napot késtünk.",
            "Minden számlánál alkudozik.",
            "szla 2026-114: az ügyfél vitatja a 6 óra tesztelést",
            "Saját maga levont 20%-ot a számlából, és csak a többit utalta.",
            "Csak akkor fizet, ha ingyen hozzácsapjuk az extra bannert.",
            "Megint reklamál a számla miatt, szerinte fel vannak fújva az órák.",
            "400 euróval kevesebbet utalt, szerinte ez 'jár a csúszásért'.",
            "Visszakéri a pénzt a fotózásért, mert nem tetszik neki a saját arca.",
            "Egy órán át vitatkozott az októberi számla minden során.",
            "Nem hajlandó kifizetni a második javítási kört, szerinte 'a mi hibánk'.",
        ],
        "fi": [
            "Kiistää lokakuun laskun, tunteja on hänen mielestään liikaa.",
            "Ei suostu maksamaan loppulaskua ennen kuin sivusto on valmis.",
            "Pyysi taas alennusta viime laskusta.",
            "Sanoo laskun olevan liian suuri ja maksaa vain puolet.",
            "Haluaa hyvityslaskun pienestä viiveestä.",
            "Tinkii jokaisesta laskusta.",
            "lasku 2026-114: asiakas kiistää 6 h testausta",
            "Vähensi itse 20 % laskusta ja maksoi loput.",
            "Maksaa vain, jos annamme ylimääräisen bannerin kaupan päälle.",
            "Taas napinaa laskusta, tunnit ovat kuulemma paisuteltuja.",
            "Maksoi 400 euroa vähemmän, koska se on 'reilua viivästyksistä'.",
            "Haluaa rahansa takaisin kuvauksesta, koska ei pidä omista kasvoistaan.",
            "Kinasi tunnin lokakuun laskun jokaisesta rivistä.",
            "Kieltäytyy maksamasta toista korjauskierrosta, koska se oli kuulemma 'meidän virhe'.",
        ],
        "lv": [
            "Apstrīd oktobra rēķinu, saka, ka stundu ir par daudz.",
            "Atsakās maksāt otro daļu.",
            "Atkal prasa atlaidi gala rēķinam.",
            "Saka, ka rēķins ir pārāk liels un samaksās tikai pusi.",
            "Pieprasa kredītrēķinu par nelielu kavēšanos.",
            "Kaulējas par katru rēķinu.",
            "rēķ. 2026-114: klients apstrīd 6 h testēšanas",
            "Pats noņēma 20% no rēķina un samaksāja pārējo.",
            "Samaksās tikai tad, ja papildu baneri iedosim par velti.",
            "Atkal sūdzas par rēķinu, saka, ka stundas ir uzpūstas.",
            "Samaksāja par 400 eiro mazāk, jo tas esot 'godīgi par kavējumiem'.",
            "Prasa naudu atpakaļ par fotosesiju, jo viņam nepatīk sava seja.",
            "Stundu strīdējās par katru oktobra rēķina rindu.",
            "Atsakās maksāt par otro labojumu kārtu, saka, ka tā bija 'mūsu kļūda'.",
        ],
    },
    "unrealistic_expectations": {
        "en": [
            "Needs the whole landing page live by tomorrow morning.",
            "URGENT!!! banner must be changed in the next hour",
            "Wants the full rebrand in 3 days, launch can't move.",
            "Drop everything, he says, the shop must be live by Monday.",
            "Expects a reply within minutes, even at weekends.",
            "needs new homepage live b4 9am tmrw",
            "Expects the whole catalogue shoot edited over the weekend.",
            "'I need this done in the next 2 hours, no excuses.'",
            "Everything is always for yesterday with him.",
            "As usual: 'this is top priority, drop the rest'.",
            "Pinged five times in an hour: 'where is it??'",
        ],
        "hu": [
            "Holnap reggelre kell neki az egész weboldal.",
            "SÜRGŐS, egy órán belül cserélni kell a bannert.",
            "Három nap alatt akarja a teljes arculatot.",
            "Azonnal kéri, mint mindig.",
            "Hétfőre élesíteni kell a webshopot, nem tolható.",
            "új főoldal kell holnap 9 előtt",
            "Azt várja, hogy hétvégén megvágjuk az egész katalógusfotózást.",
            "'Két órán belül kész legyen, nincs mese.'",
            "Egy napot adott egy egyhetes munkára.",
            "Nála minden mindig tegnapra kell.",
            "Ma estére kell neki a prezentáció, holnap 8-kor tárgyal.",
            "Egy órán belül ötször rákérdezett: 'hol van már??'",
        ],
        "fi": [
            "Tarvitsee koko sivuston huomisaamuksi.",
            "KIIREELLINEN: banneri vaihdettava tunnin sisällä.",
            "Haluaa koko brändiuudistuksen kolmessa päivässä.",
            "Pyytää kaikkea heti, kuten aina.",
            "Verkkokaupan pitää olla auki maanantaina, ei joustoa.",
            "uusi etusivu oltava livenä ennen klo 9 huomenna",
            "Odottaa, että koko kuvaston kuvat editoidaan viikonlopun aikana.",
            "'Tämä pitää olla valmis kahden tunnin sisällä.'",
            "Antoi yhden päivän työhön, joka vie viikon.",
            "Hänellä kaikki on aina eiliseksi.",
            "Tarvitsee esityksen tänä iltana, palaveri on huomenna klo 8.",
            "Kysyi viisi kertaa tunnin sisällä: 'missä se on??'",
        ],
        "lv": [
            "Vajag visu mājaslapu līdz rītdienas rītam.",
            "STEIDZAMI, baneris jānomaina stundas laikā.",
            "Grib visu zīmolu trīs dienās.",
            "Prasa visu uzreiz, kā vienmēr.",
            "Veikalam jābūt gatavam līdz pirmdienai, bez atlikšanas.",
            "jaunā sākumlapa jābūt gatavai rīt līdz 9",
            "Sagaida, ka visu katalogu fotosesiju apstrādāsim nedēļas nogalē.",
            "'Tam jābūt gatavam divu stundu laikā.'",
            "Iedeva vienu dienu darbam, kas prasa nedēļu.",
            "Viņam viss vienmēr vajadzīgs vakardien.",
            "Prezentācija vajadzīga šovakar, tikšanās rīt plkst. 8.",
            "Stundas laikā piecas reizes jautāja: 'kur tas ir??'",
        ],
    },
    "scope_creep": {
        "en": [
            "Keeps adding pages that were never in the quote and expects them included.",
            "Another 'small favour': a newsletter template, not in the contract.",
            "Asked for three extra social posts a week on top of the agreed package, no extra pay.",
            "Expects us to do their IT support now too, outside our agreement.",
            "Scope keeps growing: now wants a mobile app 'while we're at it'.",
            "Wants the extra translations for free, says they're part of the website.",
            "req: 2 more landing pages - NOT in SOW, client says 'tiny job'",
            "Now wants us to run his Google Ads as well, same monthly fee.",
            "Every call ends with 'and could you just also...' - none of it is in the package.",
            "Expects unlimited revisions although the contract says two rounds.",
            "Added a full blog section to the brief after signing and won't pay more.",
            "- also wants product photos now, NOT quoted, expects them in the price",
            "Casually asked us to redo his brother's website too, 'since you're doing mine'.",
            "We're now doing his social media as well, for nothing.",
            "Package was 4 posts a month; he now expects daily stories as well, same price.",
            "Wants us to write all the product descriptions too. Not in our offer, "
            "no budget for it.",
        ],
        "hu": [
            "Folyamatosan újabb oldalakat kér, amik nem voltak benne az ajánlatban.",
            "Megint egy 'apró szívesség': hírlevélsablon, ami nincs a szerződésben.",
            "Heti három plusz posztot kér a csomagon felül, fizetni nem akar érte.",
            "Most már azt is elvárja, hogy az IT-támogatást is mi csináljuk, ingyen.",
            "Egyre több extra munkát kér, amit nem beszéltünk meg.",
            "kérés: még 2 landing oldal - NINCS az ajánlatban, szerinte 'pici munka'",
            "Most azt akarja, hogy a Google hirdetéseit is mi vigyük, ugyanazért a havidíjért.",
            "Minden hívás úgy végződik, hogy 'és még ezt is megcsinálnátok...' - "
            "semmi sincs benne a csomagban.",
            "Korlátlan javítást vár, pedig a szerződés két kört ír.",
            "Aláírás után egy teljes blogot tett a briefbe, és nem akar többet fizetni.",
            "- most már termékfotókat is akar, NEM volt az ajánlatban, az árba érti",
            "Mellékesen azt kérte, csináljuk meg a bátyja oldalát is, 'ha már az "
            "enyémet csináljátok'.",
            "Most már a közösségi médiáját is mi visszük, ingyen.",
            "A csomag havi 4 poszt volt, most napi storykat is vár, ugyanannyiért.",
            "Azt akarja, hogy az összes termékleírást is mi írjuk. Nincs benne az "
            "ajánlatunkban, keret sincs rá.",
        ],
        "fi": [
            "Lisää jatkuvasti sivuja, joita ei ollut tarjouksessa.",
            "Taas 'pieni palvelus': uutiskirjepohja, joka ei kuulu sopimukseen.",
            "Pyytää kolme ylimääräistä somepostausta viikossa ilman lisämaksua.",
            "Odottaa, että hoidamme nyt myös heidän IT-tukensa, sopimuksen ulkopuolella.",
            "Työ paisuu koko ajan, nyt hän haluaa vielä sovelluksenkin.",
            "pyyntö: 2 laskeutumissivua lisää - EI tarjouksessa, asiakkaan mukaan 'pikkujuttu'",
            "Nyt hän haluaa, että hoidamme myös Google-mainokset samalla kuukausihinnalla.",
            "Jokainen puhelu päättyy 'ja voisitteko vielä...' - mikään ei kuulu pakettiin.",
            "Odottaa rajattomia korjauskierroksia, vaikka sopimuksessa on kaksi.",
            "Lisäsi briefiin kokonaisen blogin allekirjoituksen jälkeen eikä "
            "suostu maksamaan enempää.",
            "- haluaa nyt myös tuotekuvat, EI tarjouksessa, olettaa niiden kuuluvan hintaan",
            "Pyysi ohimennen tekemään myös veljensä sivut, 'kun kerran teette minunkin'.",
            "Hoidamme nyt myös hänen somensa, ilmaiseksi.",
            "Paketissa oli 4 julkaisua kuussa, nyt hän odottaa päivittäisiä "
            "tarinoita samaan hintaan.",
            "Haluaa, että kirjoitamme myös kaikki tuotekuvaukset. Ei kuulu "
            "tarjoukseemme, eikä siihen ole budjettia.",
        ],
        "lv": [
            "Nepārtraukti pievieno lapas, kas nebija piedāvājumā.",
            "Atkal 'maza pakalpojuma': jaunumu vēstules veidne, kas nav līgumā.",
            "Prasa trīs papildu ierakstus nedēļā bez papildu samaksas.",
            "Tagad sagaida, ka mēs darīsim arī viņu IT atbalstu, ārpus līguma.",
            "Darba apjoms visu laiku aug, tagad grib arī lietotni.",
            "pieprasījums: vēl 2 galvenās lapas - NAV piedāvājumā, klients saka 'sīkums'",
            "Tagad grib, lai mēs vadām arī viņa Google reklāmas par to pašu mēneša maksu.",
            "Katrs zvans beidzas ar 'un vai jūs varētu vēl...' - nekas no tā nav paketē.",
            "Sagaida neierobežotus labojumus, lai gan līgumā ir divas kārtas.",
            "Pēc parakstīšanas pievienoja briefam veselu blogu un negrib maksāt vairāk.",
            "- tagad grib arī produktu foto, NAV piedāvājumā, uzskata, ka tas ietilpst cenā",
            "Starp citu palūdza uztaisīt arī brāļa mājaslapu, 'ja jau jūs taisāt manējo'.",
            "Tagad mēs vadām arī viņa sociālos tīklus, par velti.",
            "Paketē bija 4 ieraksti mēnesī, tagad viņš sagaida arī ikdienas "
            "stāstus par to pašu cenu.",
            "Grib, lai mēs uzrakstām arī visus produktu aprakstus. Tas nav mūsu "
            "piedāvājumā, budžeta nav.",
        ],
    },
    "indecisive": {
        "en": [
            "Changed his mind on the colours again - third time this month.",
            "New direction for the logo, scrapping everything we approved last week.",
            "Every review she wants something completely different.",
            "He can't decide between the two layouts, asked to redo both again.",
            "Back to the first version now, after we built the second.",
            "brief v5 - he's flipped back to the dark theme (again)",
            "Approved the homepage Monday, wanted it torn up Wednesday.",
            "Third logo direction this month; none of them stick.",
            "She rewrites the requirements after every sprint demo.",
            "- v7 of the menu, he keeps going back and forth on the font",
            "Signed off the layout, then asked for a total rethink two days later.",
            "Every time we finish a page he changes his mind about the navigation.",
        ],
        "hu": [
            "Megint meggondolta magát a színekkel kapcsolatban, ebben a hónapban harmadszor.",
            "Az egészet újra akarja kezdeni, pedig múlt héten jóváhagyta.",
            "Minden egyeztetésen mást akar.",
            "Nem tud dönteni a két terv között, mindkettőt újra kéri.",
            "brief v5 - megint visszaváltott a sötét témára",
            "Hétfőn jóváhagyta a főoldalt, szerdán már az egészet újra akarta.",
            "Ebben a hónapban a harmadik logóirány, egyik sem marad meg.",
            "Minden sprint-demó után átírja a követelményeket.",
            "- a menü 7. verziója, folyton ide-oda vált a betűtípussal",
            "Jóváhagyta a layoutot, két nappal később teljesen újragondolást kért.",
        ],
        "fi": [
            "Muutti taas mielensä väreistä, kolmas kerta tässä kuussa.",
            "Haluaa aloittaa kaiken alusta, vaikka hyväksyi version viime viikolla.",
            "Joka palaverissa hän haluaa jotain ihan muuta.",
            "Ei osaa päättää kahden ulkoasun välillä.",
            "brief v5 - vaihtoi taas takaisin tummaan teemaan",
            "Hyväksyi etusivun maanantaina, keskiviikkona halusi kaiken uusiksi.",
            "Kolmas logosuunta tässä kuussa, mikään ei pysy.",
            "Kirjoittaa vaatimukset uudelleen jokaisen sprinttidemon jälkeen.",
            "- ruokalistan versio 7, hän vaihtaa fonttia edestakaisin",
            "Hyväksyi taiton, kaksi päivää myöhemmin pyysi täydellistä uudelleenajattelua.",
            "Aina kun saamme sivun valmiiksi, hän muuttaa mielensä navigaatiosta.",
        ],
        "lv": [
            "Atkal pārdomāja par krāsām, šomēnes jau trešo reizi.",
            "Grib visu sākt no jauna, lai gan pagājušajā nedēļā apstiprināja.",
            "Katrā sapulcē viņš grib kaut ko pilnīgi citu.",
            "Nevar izlemt starp diviem dizainiem.",
            "brief v5 - atkal atgriezās pie tumšās tēmas",
            "Pirmdien apstiprināja sākumlapu, trešdien gribēja visu no jauna.",
            "Trešais logo virziens šomēnes, neviens nepaliek.",
            "Pēc katras sprinta demonstrācijas pārraksta prasības.",
            "- ēdienkartes 7. versija, viņš nemitīgi mētājas starp fontiem",
            "Apstiprināja maketu, pēc divām dienām prasīja visu pārdomāt no jauna.",
        ],
    },
}
QUIET = {
    "abusive": {
        "en": [
            "He was not rude at all, just tired after a long week.",
            "Their previous agency used to shout at them, they say.",
            "Lovely call, she laughed and said we're 'crazy good'.",
            "He complained about a stupid bug in his own app, we fixed it.",
            "Client screamed with joy when the site went live.",
            "Great workshop, he joked he'd 'kill for' a logo like that.",
            "Their old developer apparently swore at them constantly.",
            "He did not raise his voice once, very calm about the delay.",
            "Staff note: client offered to drive Jo to the station in the rain, she "
            "accepted, all fine.",
            "Their last agency used to yell at them, so they're wary.",
            "Laughed and called the mockup 'killer'.",
            "He never swore once, even when the server died.",
            "Their previous printer threatened them with a lawsuit, not our concern.",
        ],
        "hu": [
            "Egyáltalán nem volt durva, csak fáradt.",
            "Az előző ügynökségük kiabált velük, mondta.",
            "Nagyon kedves volt a telefonban.",
            "A régi fejlesztőjük állítólag folyton káromkodott velük.",
            "Egyszer sem emelte fel a hangját, nagyon nyugodt volt.",
            "Az előző ügynökségük kiabált velük, ezért óvatosak.",
            "Egyszer sem káromkodott, még a szerverhiba alatt sem.",
            "Felkiáltott, hogy 'zseniális!', amikor meglátta a logót.",
        ],
        "fi": [
            "Ei ollut ollenkaan töykeä, vain kiireinen.",
            "Heidän edellinen toimistonsa huusi heille, kertoi hän.",
            "Mukava palaveri, kiitteli paljon.",
            "Heidän vanha kehittäjänsä kuulemma kiroili heille jatkuvasti.",
            "Ei korottanut ääntään kertaakaan, todella rauhallinen.",
            "Heidän edellinen toimistonsa huusi heille, siksi he ovat varovaisia.",
            "Ei kiroillut kertaakaan, vaikka palvelin kaatui.",
            "Hän huudahti 'loistavaa!', kun näki logon.",
        ],
        "lv": [
            "Viņš nemaz nebija rupjš, tikai noguris.",
            "Viņu iepriekšējā aģentūra uz viņiem kliedza, stāstīja.",
            "Ļoti patīkama saruna.",
            "Viņu iepriekšējais izstrādātājs esot nemitīgi lamājies.",
            "Ne reizi nepacēla balsi, ļoti mierīgs.",
            "Viņu iepriekšējā aģentūra uz viņiem kliedza, tāpēc viņi ir piesardzīgi.",
            "Ne reizi nelamājās, pat kad serveris nokrita.",
            "Viņš iesaucās 'lieliski!', kad ieraudzīja logo.",
        ],
    },
    "legal_risk": {
        "en": [
            "Our lawyer reviewed the contract before signing, all fine.",
            "They are a law firm; new page for their litigation practice.",
            "Court booking app for their tennis club, phase 2.",
            "She asked a lawyer friend to read the privacy policy with us, very helpful.",
            "Drafted the NDA with their counsel, signed the same day.",
            "Built the booking form for their solicitors' office.",
            "Invoice sent with the correct date, paid in a week.",
            "Their in-house lawyer signed the SOW, smooth.",
            "New case studies page for their law office.",
            "Built a 'meet our lawyers' page for the firm.",
        ],
        "hu": [
            "Az ügyvédünk átnézte a szerződést, minden rendben.",
            "Ügyvédi iroda, új aloldal a peres ügyeikről.",
            "Az ő jogászukkal írtuk meg a titoktartási szerződést.",
            "A számla a helyes dátummal ment ki.",
            "A házi jogászuk aláírta a szerződést, gördülékeny.",
            "Elkészült az iroda 'ügyvédeink' oldala.",
        ],
        "fi": [
            "Lakimiehemme tarkisti sopimuksen, kaikki kunnossa.",
            "Asianajotoimisto, uusi sivu heidän palveluistaan.",
            "Laadimme salassapitosopimuksen heidän juristinsa kanssa.",
            "Lasku lähti oikealla päivämäärällä.",
            "Heidän lakimiehensä allekirjoitti sopimuksen, sujuvaa.",
            "Teimme toimistolle 'lakimiehemme'-sivun.",
        ],
        "lv": [
            "Mūsu jurists pārskatīja līgumu, viss kārtībā.",
            "Advokātu birojs, jauna lapa par viņu pakalpojumiem.",
            "Konfidencialitātes līgumu sagatavojām kopā ar viņu juristu.",
            "Rēķins nosūtīts ar pareizo datumu.",
            "Viņu jurists parakstīja līgumu, viss gludi.",
            "Uztaisījām birojam lapu 'mūsu juristi'.",
        ],
    },
    "plays_competitors": {
        "en": [
            "Before signing they compared three quotes, we won on quality.",
            "Competitor analysis for their market done, sent the report.",
            "Their competitors all have a shop now, they want one too.",
            "Before choosing us they had quotes from two other studios.",
            "Researching their competitors' pricing pages for the new site.",
            "Before signing they had two other quotes; chose us anyway.",
            "They told us our quote was the best of the three they got before signing.",
        ],
        "hu": [
            "Aláírás előtt három ajánlatot hasonlítottak össze.",
            "Elkészült a versenytárselemzés nekik.",
            "Mielőtt minket választottak, két másik stúdiótól is kértek ajánlatot.",
            "Aláírás előtt két másik ajánlatuk volt, mégis minket választottak.",
            "Azt mondták, a mi ajánlatunk volt a legjobb a három közül, amit aláírás előtt kaptak.",
        ],
        "fi": [
            "Ennen allekirjoitusta he vertailivat kolmea tarjousta.",
            "Teimme heille kilpailija-analyysin.",
            "Ennen kuin valitsivat meidät, he pyysivät tarjoukset kahdelta muulta studiolta.",
            "Ennen allekirjoitusta heillä oli kaksi muuta tarjousta, valitsivat silti meidät.",
            "He kertoivat, että tarjouksemme oli paras kolmesta, jotka he "
            "saivat ennen allekirjoitusta.",
        ],
        "lv": [
            "Pirms parakstīšanas viņi salīdzināja trīs piedāvājumus.",
            "Sagatavojām viņiem konkurentu analīzi.",
            "Pirms izvēlējās mūs, viņi saņēma piedāvājumus no divām citām studijām.",
            "Pirms parakstīšanas viņiem bija vēl divi piedāvājumi, tomēr izvēlējās mūs.",
            "Viņi teica, ka mūsu piedāvājums bija labākais no trim, ko viņi "
            "saņēma pirms parakstīšanas.",
        ],
    },
    "invoice_disputes": {
        "en": [
            "Paid the invoice early, thanked us for the clear breakdown.",
            "No complaints about the invoice this time.",
            "Asked about the student discount on their own shop page.",
            "Invoice paid in full, no questions.",
            "Set up a 10% discount code for their newsletter subscribers.",
            "Paid inv 88 in full, two days early.",
            "Invoice approved by their finance team without a question.",
        ],
        "hu": [
            "Időben kifizette a számlát, megköszönte.",
            "Nem vitatta a számlát.",
            "A számlát hiánytalanul kifizette.",
            "Beállítottunk egy 10%-os kuponkódot a hírlevelükhöz.",
            "A 88-as számlát hiánytalanul, két nappal korábban fizette.",
            "A pénzügyük kérdés nélkül jóváhagyta a számlát.",
        ],
        "fi": [
            "Maksoi laskun ajallaan ja kiitti.",
            "Ei kiistänyt laskua.",
            "Lasku maksettu kokonaan.",
            "Teimme 10 % alennuskoodin heidän uutiskirjeen tilaajilleen.",
            "Maksoi laskun 88 kokonaan, kaksi päivää etuajassa.",
            "Heidän taloustiiminsä hyväksyi laskun kysymättä mitään.",
        ],
        "lv": [
            "Samaksāja rēķinu laikā un pateicās.",
            "Neapstrīdēja rēķinu.",
            "Rēķins samaksāts pilnībā.",
            "Izveidojām 10% atlaides kodu viņu jaunumu abonentiem.",
            "Rēķinu 88 samaksāja pilnībā, divas dienas agrāk.",
            "Viņu finanšu komanda apstiprināja rēķinu bez jautājumiem.",
        ],
    },
    "unrealistic_expectations": {
        "en": [
            "Not urgent, whenever you have time.",
            "No rush on the brochure.",
            "No hurry at all, January is fine.",
            "Deadline is relaxed, end of Q1.",
            "Whenever suits, no deadline.",
            "Not in a rush, next month is fine.",
        ],
        "hu": [
            "Nem sürgős, ráér.",
            "Nincs sietség a prospektussal.",
            "Egyáltalán nem sürgős, januárban is jó.",
            "Ráérünk vele, negyedév vége.",
            "Amikor belefér, nincs határidő.",
            "Nem sietős, jövő hónapban is jó.",
        ],
        "fi": [
            "Ei kiireellinen, kun ehditte.",
            "Ei kiirettä esitteen kanssa.",
            "Ei yhtään kiirettä, tammikuu käy.",
            "Aikataulu väljä, Q1 loppuun.",
            "Kun sopii, ei takarajaa.",
            "Ei ole kiire, ensi kuu käy hyvin.",
        ],
        "lv": [
            "Nav steidzami, kad būs laiks.",
            "Ar brošūru nav jāsteidzas.",
            "Nav nekādas steigas, janvārī der.",
            "Termiņš brīvs, līdz Q1 beigām.",
            "Kad ērti, nav termiņa.",
            "Nav steigas, nākammēnes der.",
        ],
    },
    "scope_creep": {
        "en": [
            "Extra page quoted separately and approved, billed as agreed.",
            "Asked for a newsletter template; sent a quote, he accepted it.",
            "Asked for two more landing pages; quoted, signed, in progress.",
            "Everything delivered was in the contract, nothing extra.",
            "Product photos quoted separately, he accepted the quote.",
            "Asked for daily stories; we sent a quote for the extra and he signed it.",
        ],
        "hu": [
            "A plusz oldalra külön ajánlatot adtunk, elfogadta.",
            "Kért még két landing oldalt, ajánlatot adtunk, elfogadta.",
            "A termékfotókra külön ajánlatot adtunk, elfogadta.",
            "Napi storykat kért, az extrára ajánlatot küldtünk, aláírta.",
        ],
        "fi": [
            "Lisäsivusta annettiin erillinen tarjous, hän hyväksyi sen.",
            "Pyysi kaksi sivua lisää, annoimme tarjouksen ja hän hyväksyi sen.",
            "Tuotekuvista erillinen tarjous, hän hyväksyi sen.",
            "Pyysi päivittäisiä tarinoita, lähetimme lisätyöstä tarjouksen ja hän "
            "hyväksyi tarjouksen.",
        ],
        "lv": [
            "Par papildu lapu iedevām atsevišķu piedāvājumu, viņš to pieņēma.",
            "Prasīja vēl divas lapas, iedevām piedāvājumu, viņš to pieņēma.",
            "Par produktu foto atsevišķs piedāvājums, viņš to pieņēma.",
            "Prasīja ikdienas stāstus, par papildu darbu nosūtījām piedāvājumu, "
            "viņš pieņēma piedāvājumu.",
        ],
    },
    "indecisive": {
        "en": [
            "Approved the logo first time, no changes.",
            "Changes billed hourly as agreed.",
            "Small colour tweak after review, approved next day.",
            "He is decisive, signs off quickly.",
            "Chose the font in the first meeting and stuck with it.",
            "Approved the navigation in one go.",
        ],
        "hu": [
            "Elsőre jóváhagyta a logót.",
            "Egy apró színmódosítás a review után, másnap jóváhagyta.",
            "Az első megbeszélésen kiválasztotta a betűtípust, és kitartott mellette.",
            "Egy az egyben jóváhagyta a menüt.",
        ],
        "fi": [
            "Hyväksyi logon heti ensimmäisellä kerralla.",
            "Pieni värimuutos katselmoinnin jälkeen, hyväksyi seuraavana päivänä.",
            "Valitsi fontin ensimmäisessä palaverissa ja pysyi siinä.",
            "Hyväksyi navigaation kerralla.",
        ],
        "lv": [
            "Apstiprināja logo uzreiz.",
            "Neliela krāsas korekcija pēc pārskata, apstiprināja nākamajā dienā.",
            "Izvēlējās fontu pirmajā sapulcē un pie tā palika.",
            "Apstiprināja navigāciju uzreiz.",
        ],
    },
}
BEYOND_THE_LISTS = {
    "abusive": [
        "Warned me he 'knows people' and that I should be careful how I answer.",
        "Zoom today: he lost his rag and told Sam to 'get out of my sight, you useless lump'.",
        "He messaged our designer at midnight: 'send me a photo of you, not the logo'.",
        "Owner note: he said if the shop isn't live Monday he will 'come round and have a "
        "word' with me.",
        "Zoomon kiborult, és azt üzente Samunak, hogy 'tűnj el a szemem elől, te "
        "hasznavehetetlen'.",
        "Éjfélkor azt írta a grafikusunknak: 'rólad küldj képet, ne a logóról'.",
        "Azt mondta, ha hétfőn nem élesedik a bolt, 'átjön és elbeszélget' velem.",
        "Zoomissa hän menetti malttinsa ja käski Samin 'häipyä silmistä, senkin tolvana'.",
        "Viestitti suunnittelijallemme keskiyöllä: 'lähetä kuva itsestäsi, ei logosta'.",
        "Sanoi, että jos kauppa ei aukea maanantaina, hän 'tulee käymään ja juttelee' kanssani.",
        "Zoomā viņš zaudēja savaldību un teica Samam 'pazūdi no acīm, tu nederīgais'.",
        "Pusnaktī rakstīja mūsu dizainerei: 'atsūti savu bildi, nevis logo'.",
        "Teica, ka, ja veikals pirmdien nebūs gatavs, viņš 'atbrauks parunāties' ar mani.",
    ],
    "unrealistic_expectations": [
        "Asked for it 'yesterday' as usual.",
        "Gave us one day for a job that takes a week.",
        "- wants logo + site + cards by Fri, today is Wed",
        "Needs it all done by 8am, calls it 'a quick job'.",
        "- logo + oldal + névjegy péntekre, ma szerda van",
        "Reggel 8-ra kell neki minden, szerinte 'gyors munka'.",
        "Mint mindig: 'ez most a legfontosabb, minden mást tegyetek félre'.",
        "- logo + sivu + käyntikortit perjantaiksi, tänään on keskiviikko",
        "Kaikki pitää olla valmiina klo 8 mennessä, hänen mielestään 'nopea juttu'.",
        "Kuten aina: 'tämä on nyt tärkein, jättäkää muut'.",
        "- logo + lapa + vizītkartes līdz piektdienai, šodien trešdiena",
        "Viss vajadzīgs līdz plkst. 8, viņaprāt 'ātrs darbiņš'.",
        "Kā vienmēr: 'tas ir pats svarīgākais, pārējo nolieciet malā'.",
        "Needs the pitch deck tonight, meeting is at 8 tomorrow.",
    ],
    "legal_risk": [
        "Felszólító levelet kaptunk az ügyvédi irodájuktól.",
        "Wants the testimonials page filled with quotes from 'customers' we invent.",
        "Asked us to bill the work as 'consulting' so it goes through his EU grant.",
        "Azt akarja, hogy a vásárlói vélemények oldalát általunk kitalált idézetekkel töltsük meg.",
    ],
    "plays_competitors": [
        "Azt mondja, egy volt munkatársunk olcsóbban befejezné a munkát.",
        "Sanoo, että entinen työntekijämme tarjoutui tekemään työn halvemmalla.",
    ],
    "invoice_disputes": [
        "- inv 88: he's only paid 70%, 'the rest when I'm happy'",
        "- 88-as számla: csak 70%-ot fizetett, 'a többit, ha elégedett leszek'",
        "- lasku 88: maksoi vain 70 %, 'loput kun olen tyytyväinen'",
        "- rēķins 88: samaksāja tikai 70%, 'pārējo, kad būšu apmierināts'",
        "Wants the hosting fee waived this year, again.",
        "Megint azt kéri, idén engedjük el a tárhelydíjat.",
        "Haluaa taas, että hosting-maksu jätetään tänä vuonna pois.",
        "Atkal grib, lai šogad atlaižam hostinga maksu.",
    ],
    "indecisive": [
        "Decided on blue, then green, now blue again.",
        "Kéket választott, aztán zöldet, most megint kéket.",
        "Valitsi sinisen, sitten vihreän, nyt taas sinisen.",
        "Izvēlējās zilu, tad zaļu, tagad atkal zilu.",
        "We are on the fourth 'final' version of the homepage.",
        "Már a főoldal negyedik 'végleges' verziójánál tartunk.",
        "Valahányszor befejezünk egy oldalt, meggondolja magát a menüvel kapcsolatban.",
        "Olemme etusivun neljännessä 'lopullisessa' versiossa.",
        "Esam pie sākumlapas ceturtās 'galīgās' versijas.",
        "Katru reizi, kad pabeidzam lapu, viņš pārdomā par navigāciju.",
    ],
}


def _client(key: str, tag: str, body: str):
    count = COPIES.get(tag, 1)
    return client(key, notes=[note(when, body) for when in DAYS[:count]])


@pytest.fixture(scope="module")
def results() -> dict[tuple[str, str], tuple[list[str], str]]:
    """Evaluate every note of the banks as one client's notes, in one run."""
    ruleset = RulesetLibrary([RULESETS], metric_units({})).load("freelancer")
    cases = [(tag, body) for bank in (RAISES, QUIET) for tag, _, body in _flat(bank)]
    cases += [(tag, body) for tag, bodies in BEYOND_THE_LISTS.items() for body in bodies]
    clients = [_client(f"c-{i}", tag, body) for i, (tag, body) in enumerate(cases)]
    found = {
        r.client.id: (r.tags, r.level)
        for r in evaluate(clients, ruleset, SETTINGS, AS_OF, NOW).results
    }
    return {case: found[f"c-{i}"] for i, case in enumerate(cases)}


def _flat(bank: dict):
    for tag, languages in bank.items():
        for language, bodies in languages.items():
            for body in bodies:
                yield tag, language, body


@pytest.mark.parametrize("tag, body", bank_cases(RAISES))
def test_an_owner_note_of_the_behaviour_raises_its_tag(results, tag, body):
    tags, level = results[(tag, body)]
    assert tag in tags, f"{tag} not raised by {body!r}"
    if tag == "abusive":
        assert level in ("warning", "fire"), f"abuse only at {level}: {body!r}"


@pytest.mark.parametrize("tag, body", bank_cases(QUIET))
def test_a_note_that_only_looks_like_it_does_not(results, tag, body):
    assert tag not in results[(tag, body)][0], f"{tag} raised by {body!r}"


@pytest.mark.parametrize(
    "tag, body", [(tag, body) for tag, bodies in BEYOND_THE_LISTS.items() for body in bodies]
)
def test_what_words_cannot_tell_yet_stays_listed(results, tag, body):
    assert tag not in results[(tag, body)][0], f"{body!r} now raises {tag}: move it to RAISES"


def test_every_language_has_notes_for_every_tag():
    for tag, languages in RAISES.items():
        assert sorted(languages) == ["en", "fi", "hu", "lv"], tag
        assert sorted(QUIET[tag]) == ["en", "fi", "hu", "lv"], tag
