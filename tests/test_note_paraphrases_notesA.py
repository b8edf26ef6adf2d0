"""How owners write five behaviours in their notes: each must raise its tag on its own.

A bank of owner notes, written from the source articles (001 §1 and red flags 1, 3, 8,
9; 003 §2, §7, §8, §9) and from how people write CRM notes, not from any judgement set:
terse shorthand, long emotional notes, quoted speech, past and present tense, inflected
forms, typos and notes typed without accents. Every note in ``RAISES`` is the only note
of a client and must give that client its tag with the shipped ``freelancer`` ruleset;
one plain note is enough. Every note in ``QUIET`` must not: the words are negated,
reported as a third party's, harmless in their context, or praise.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_ruleset import library, load_error

from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.rules.matching.matcher import TermMatcher
from crmflags.rules.matching.terms import TermList
from crmflags.rules.ruleset import RulesetLibrary
from crmflags.settings import Settings

from conftest import client, day, note

RULESETS = Path(__file__).parent.parent / "rulesets"
AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 23, 59, 59)
SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")

RAISES = {
    "disrespectful": {
        "en": [
            "Called our work 'amateur hour' in front of his board.",
            "Told Mark his code looked like it was written by a first-year student.",
            "He keeps explaining to me how to do my own job.",
            "Client said a monkey could have designed this logo.",
            "rude again on the call. talked over Eva the whole time, didnt let her finish",
            "Snapped at our PM: 'just do what I pay you for'.",
            "Says we are overpriced button pushers.",
            "She dismissed the whole concept with 'my 12 year old could do better'.",
            "questions every single decision we make, even the ones he signed off",
            "He treats our designers like his personal assistants.",
            "Nitpicks everything, nothing we deliver is ever good enough for him.",
            "Openly mocked our proposal in the meeting, laughing with his colleagues.",
            "Wrote 'are you even a real developer?' under the pull request.",
            "Told us to stop thinking and just follow his instructions.",
            "condescending as always, spoke to me like I was a trainee",
            "Patronising email again: 'let me explain this slowly for you'.",
            "Disrespectful to Anna, hung up on her mid-sentence.",
            "He belittled our designer's experience in front of the whole team.",
        ],
        "hu": [
            "Azt mondta, ezt egy óvodás is megrajzolná.",
            "Megint kioktatott, hogyan kellene a saját munkámat csinálnom.",
            "Lekezelően beszélt Katival, végig a szavába vágott.",
            "Szerinte mi csak kattintgatunk, és túl sokat kérünk érte.",
            "A megbeszélésen nevetségessé tette a javaslatunkat a kollégái előtt.",
            "bunkó volt a telefonban, el se köszönt",
            "Semmit nem tart jónak, amit csinálunk, mindenbe belekötött.",
            "Minden egyes alkalommal megkérdőjelezi a szakértelmünket.",
            "Úgy bánik velünk, mintha a cselédei lennénk.",
            "Azt írta: 'maguk egyáltalán értenek ehhez?'",
            "Lenézi a fejlesztőinket, szerinte bárki meg tudná csinálni.",
            "lekezelo hangnem, megint kioktatas a meetingen",
            "Folyton beleszól, hogyan írjuk a kódot, mintha ő jobban értene hozzá.",
            "Gúnyosan megjegyezte, hogy ennyiért ő is meg tudná csinálni.",
            "Tiszteletlenül viselkedett a kolléganőmmel a meetingen.",
            "Fölényesen közölte, hogy csináljuk, amit mond, ne gondolkodjunk.",
            "Az egész csapata előtt leszólta a grafikusunk munkáját.",
            "Szerinte a munkánk dilettáns, és ezt a vezetőségnek is megírta.",
        ],
        "fi": [
            "Sanoi, että hänen 10-vuotias poikansa tekisi paremman logon.",
            "Neuvoo jatkuvasti, miten minun pitäisi tehdä oma työni.",
            "Oli todella ylimielinen palaverissa ja keskeytti Annan koko ajan.",
            "Kutsui suunnitelmaamme amatöörimäiseksi koko johtoryhmän edessä.",
            "Nauroi ehdotuksellemme ääneen ja sanoi, että se on naurettava.",
            "Vähättelee kaikkea, mitä teemme: 'tuon tekee kuka tahansa'.",
            "Kohtelee meitä kuin omia alaisiaan.",
            "epäkohtelias taas puhelimessa, lopetti puhelun kesken",
            "Kyseenalaistaa jokaisen päätöksemme, vaikka on itse hyväksynyt ne.",
            "Kirjoitti: 'osaatteko te edes koodata?'",
            "Puhui kehittäjällemme alentuvasti, kuin tämä olisi harjoittelija.",
            "Ei arvosta ammattitaitoamme, kaikki pitää tehdä hänen tavallaan.",
            "Tyly ja vähättelevä sävy kaikissa sähköposteissa.",
            "Sanoi suoraan, että olemme ylihinnoiteltuja klikkailijoita.",
            "Pilkkasi suunnittelijan ehdotusta muiden edessä.",
            "Käski meidän vain tehdä niin kuin hän sanoo eikä miettiä itse.",
            "Ylimielinen asenne, puhuu meille kuin tyhmille.",
            "Nolasi projektipäällikkömme koko tiimin edessä.",
        ],
        "lv": [
            "Teica, ka viņa mazdēls to uzzīmētu labāk.",
            "Atkal mācīja man, kā man jādara savs darbs.",
            "Ļoti augstprātīgi runāja ar mūsu dizaineri un nemitīgi pārtrauca.",
            "Sapulcē izsmēja mūsu priekšlikumu kolēģu priekšā.",
            "Nosauca mūsu darbu par diletantisku.",
            "Apšauba visu, ko mēs sakām, pat to, ko pats apstiprināja.",
            "Izturas pret mums kā pret saviem kalpiem.",
            "rupjs telefona, nolika klausuli man pa vidu teikumam",
            "Uzrakstīja: 'vai jūs vispār protat programmēt?'",
            "Nicīgi noteica, ka par tādu naudu pats to varētu izdarīt.",
            "Runā ar mūsu izstrādātāju kā ar skolnieku.",
            "Pastāvīgi kritizē katru sīkumu, nekas nav pietiekami labs.",
            "Necienīgi izturējās pret mūsu projektu vadītāju.",
            "Teica, lai mēs nedomājam, bet vienkārši darām, ko viņš liek.",
            "Augstpratigi noniecina musu pieredzi.",
            "Pazemoja mūsu dizaineri visu priekšā.",
            "Uzvedas tā, it kā mēs neko nesaprastu no sava darba.",
            "Teica, ka mūsu darbs ir amatieru līmenī.",
        ],
    },
    "ignores_advice": {
        "en": [
            "Went live without the testing we recommended. Now the checkout is broken and "
            "it's 'our fault'.",
            "told him 3x the cheap hosting would fall over. it did. now wants us to fix it "
            "for free",
            "We recommended backups; he said no. Server died, now he expects us to recover "
            "everything.",
            "Insisted on his own colour scheme over our objections, now complains the brand "
            "looks off.",
            "Our designer advised against the tiny font, client overruled her, now users "
            "complain and he wants a redesign at no cost.",
            "He ignored every recommendation in the audit and now blames us for the poor SEO.",
            "Refused our suggestion to do a soft launch. Launch flopped, now wants us to sort "
            "it out.",
            "Again did the opposite of what we advised and now wants us to clean it up.",
            "Skipped the staging step against my explicit advice, now production is down.",
            "He brushed off our concerns about GDPR, now he panics and wants it fixed by Monday.",
            "I told her the plugin wasn't safe. She installed it anyway. Site got hacked.",
            "Chose the cheapest print shop despite what we said; colours are off and he wants "
            "new files for free.",
            "Never takes our advice but expects miracles when it goes wrong.",
            "Dismissed our warning about the tight timeline. Missed the date, now asks us to "
            "rescue it.",
            "Didn't follow any of our recommendations and now says the campaign failed "
            "because of us.",
            "Overrode the developer's advice on the database, now data is lost and he wants "
            "us to recover it.",
            "We advised him to keep the old URLs; he changed them all, traffic dropped, now "
            "it's our job to fix.",
            "Wouldn't hear of a content freeze before launch, now wants us to work the weekend "
            "to fix the mess.",
        ],
        "hu": [
            "Hiába mondtuk, hogy tesztelni kell, élesítette. Most mi legyünk a hibásak.",
            "Háromszor szóltam, hogy a tárhely gyenge, nem érdekelte. Most ingyen javítsuk meg.",
            "A javaslatunk helyett a saját ötletét erőltette, most pedig panaszkodik, hogy "
            "nem működik.",
            "Nem fogadta el a tanácsunkat a mentésekről, leállt a szerver, most azt várja, "
            "hogy mindent visszaállítsunk.",
            "Figyelmen kívül hagyta a designer véleményét, most az egészet újra kell csinálni "
            "ingyen.",
            "Megint az ellenkezőjét csinálta annak, amit javasoltunk, és most nekünk kell "
            "rendbe tenni.",
            "Leintette az aggályainkat a GDPR-ral kapcsolatban, most kapkod, és velünk akarja "
            "megoldatni.",
            "Szóltunk, hogy ez a plugin nem biztonságos, mégis feltette. Feltörték az oldalt.",
            "Nem hallgatott a fejlesztőnkre, most pedig sürgősen javítást kér.",
            "a tanacsunk ellenere elesitette, most javitsuk ki ingyen",
            "Ragaszkodott a saját megoldásához, pedig figyelmeztettük; most tőlünk várja a csodát.",
            "Lesöpörte a javaslatunkat, most meg minket hibáztat, hogy rossz lett a kampány.",
            "Semmit nem fogad meg, amit tanácsolunk, de ha baj van, azonnal minket hív.",
            "Kihagyta a tesztelést, amit javasoltunk, most tele van hibával, és ingyen akarja "
            "a javítást.",
            "Mondtuk neki, hogy ne változtassa meg az URL-eket; megtette, esett a forgalom, "
            "és tőlünk várja a megoldást.",
            "Nem vette figyelembe a figyelmeztetésünket a határidővel kapcsolatban, most "
            "csúszik minden.",
            "A saját feje szerint döntött a nyomdáról, most rosszak a színek, és ingyen kéri "
            "az új fájlokat.",
        ],
        "fi": [
            "Julkaisi sivun ilman testausta, vaikka suosittelimme sitä. Nyt kassa ei toimi ja "
            "vika on muka meidän.",
            "sanoin kolme kertaa että halpa palvelin ei kestä. ei kestänyt. nyt pitäisi "
            "korjata ilmaiseksi",
            "Ei ottanut neuvoa vastaan varmuuskopioista, palvelin kaatui ja nyt hän odottaa, "
            "että palautamme kaiken.",
            "Halusi oman värimaailmansa vastustuksestamme huolimatta, nyt valittaa, että "
            "brändi näyttää oudolta.",
            "Ohitti suunnittelijamme neuvon ja vaatii nyt uuden ulkoasun veloituksetta.",
            "Teki taas päinvastoin kuin neuvoimme, ja nyt meidän pitää siivota jäljet.",
            "Ei välittänyt varoituksestamme GDPR:stä, nyt hätäilee ja haluaa, että korjaamme "
            "sen maanantaihin mennessä.",
            "Varoitin, että lisäosa ei ole turvallinen. Asensi sen silti. Sivusto hakkeroitiin.",
            "Ei koskaan noudata suosituksiamme, mutta odottaa ihmeitä, kun jokin menee pieleen.",
            "Päätti oman päänsä mukaan, ja nyt meidän pitäisi pelastaa projekti.",
            "Sivuutti kaikki auditoinnin suositukset ja syyttää nyt meitä huonosta näkyvyydestä.",
            "vastoin neuvoamme julkaisi, nyt pitäis korjata ilmaseks",
            "Ei kuunnellut kehittäjäämme tietokannasta, data hävisi ja nyt hän haluaa meidän "
            "palauttavan sen.",
            "Neuvoimme pitämään vanhat osoitteet, hän muutti ne kaikki ja liikenne romahti; "
            "nyt se on muka meidän ongelmamme.",
            "Jätti testausvaiheen väliin, vaikka varoitimme, ja vaatii nyt korjauksia heti.",
            "Ei piitannut suosituksistamme, ja kampanja epäonnistui: nyt hän syyttää meitä.",
            "Teki kaiken omalla tavallaan, vaikka sanoimme ettei se toimi, ja nyt odottaa "
            "että korjaamme sen.",
        ],
        "lv": [
            "Palaida lapu bez testēšanas, lai gan mēs ieteicām testēt. Tagad grozs nestrādā, "
            "un vainīgi esam mēs.",
            "trīs reizes teicu, ka lētais hostings neizturēs. neizturēja. tagad grib, lai "
            "salabojam par brīvu",
            "Nepieņēma mūsu padomu par rezerves kopijām, serveris nobruka, tagad sagaida, ka "
            "mēs visu atjaunosim.",
            "Uzstāja uz savām krāsām, neskatoties uz mūsu iebildumiem, tagad sūdzas, ka "
            "zīmols izskatās dīvaini.",
            "Neņēma vērā dizaineres ieteikumu un tagad prasa jaunu dizainu bez maksas.",
            "Atkal izdarīja pretēji tam, ko ieteicām, un tagad mums jāsakopj sekas.",
            "Nelikās ne zinis par mūsu brīdinājumu par GDPR, tagad panikā grib, lai to "
            "sakārtojam līdz pirmdienai.",
            "Es brīdināju, ka spraudnis nav drošs. Viņš to tāpat uzinstalēja. Lapa tika uzlauzta.",
            "Nekad neklausa mūsu ieteikumus, bet gaida brīnumus, kad kaut kas noiet greizi.",
            "Darīja pa savam, un tagad mums projekts jāglābj.",
            "Ignorēja visus audita ieteikumus un tagad vaino mūs sliktajos rezultātos.",
            "pretēji musu ieteikumam palaida, tagad jalabo par brivu",
            "Neieklausījās mūsu izstrādātājā par datubāzi, dati pazuda, un tagad viņš grib, "
            "lai mēs tos atgūstam.",
            "Mēs ieteicām saglabāt vecās adreses, viņš tās nomainīja, apmeklējums kritās, un "
            "tagad tā esot mūsu problēma.",
            "Izlaida testēšanu, lai gan brīdinājām, un tagad pieprasa labojumus uzreiz.",
            "Neievēroja mūsu ieteikumus, kampaņa izgāzās, tagad vaino mūs.",
            "Uzstāja uz savu risinājumu, lai gan teicām, ka tas nestrādās; tagad grib, lai "
            "mēs to izlabojam.",
        ],
    },
    "dishonest": {
        "en": [
            "Now says the two extra landing pages were 'obviously part of the package'. "
            "They weren't.",
            "Claims he never signed off on the design, but we have his email saying 'approved'.",
            "Acts like we never discussed the deposit, even though it's in the contract.",
            "We agreed on 3 revision rounds; now he insists unlimited revisions were promised.",
            "Suddenly 'doesn't remember' agreeing to the hourly rate.",
            "He rewrote the meeting minutes to make it look like we promised a July launch.",
            "Told his boss we had agreed to do it for free. We never did.",
            "Says the maintenance was included; the quote clearly says it is extra.",
            "He flat out lied: said our PM promised him a discount on the phone.",
            "Paid only half and says that was the deal. It was not.",
            "Signed the scope, now claims the scope 'meant' something completely different.",
            "Conveniently forgot that he agreed to deliver the photos himself.",
            "Pretends he never got the change order he signed.",
            "Insists we promised a fixed price for everything; the contract says otherwise.",
            "Puts words in my mouth I never said, so he doesn't have to pay for the extras.",
            "reinterprets the contract every time it suits him",
            "Keeps moving the goalposts and then says that was the plan all along.",
            "Now pretends the deadline was always the 1st, we agreed the 15th in writing.",
        ],
        "hu": [
            "Most azt mondja, a két extra aloldal 'nyilván benne volt a csomagban'. Nem volt.",
            "Állítja, hogy soha nem hagyta jóvá a tervet, pedig megvan az e-mailje, hogy "
            "'jóváhagyva'.",
            "Úgy tesz, mintha sosem beszéltünk volna az előlegről, pedig benne van a szerződésben.",
            "Három javítási kört beszéltünk meg, most ragaszkodik hozzá, hogy korlátlant ígértünk.",
            "Hirtelen 'nem emlékszik', hogy elfogadta az óradíjat.",
            "Átírta az emlékeztetőt, hogy úgy tűnjön, júliusi indulást ígértünk.",
            "A főnökének azt mondta, hogy ingyen vállaltuk. Soha nem mondtunk ilyet.",
            "Szerinte a karbantartás benne van az árban, az ajánlatban egyértelműen külön "
            "szerepel.",
            "Hazudott: azt mondta, a projektvezetőnk telefonon engedményt ígért.",
            "Csak a felét fizette ki, és azt mondja, ez volt a megállapodás. Nem ez volt.",
            "Aláírta a specifikációt, most azt állítja, egészen mást értett alatta.",
            "Mindig úgy magyarázza a szerződést, ahogy neki épp jó.",
            "Olyat ad a számba, amit sosem mondtam, hogy ne kelljen kifizetnie az extrákat.",
            "Letagadta, hogy megkapta a módosítási megrendelést, amit aláírt.",
            "nem ebben maradtunk, de most mar mast allit",
            "Kényelmesen elfelejtette, hogy a fotókat ő adja.",
            "Utólag megmásította, amiben megegyeztünk a fizetési határidőről.",
            "Úgy csinál, mintha a második kör sosem lett volna kifizetendő extra.",
        ],
        "fi": [
            "Nyt hän väittää, että kaksi ylimääräistä laskeutumissivua kuului 'tietenkin' "
            "pakettiin. Ei kuulunut.",
            "Sanoo, ettei ole koskaan hyväksynyt ulkoasua, vaikka meillä on hänen "
            "sähköpostinsa: 'hyväksytty'.",
            "Käyttäytyy kuin ennakkomaksusta ei olisi koskaan puhuttu, vaikka se on sopimuksessa.",
            "Sovimme kolmesta korjauskierroksesta, nyt hän vaatii, että lupasimme rajattomasti.",
            "Yhtäkkiä hän 'ei muista' hyväksyneensä tuntihinnan.",
            "Muokkasi palaverimuistiota niin, että näyttää kuin olisimme luvanneet heinäkuun "
            "julkaisun.",
            "Kertoi esimiehelleen, että olimme luvanneet tehdä sen ilmaiseksi. Emme luvanneet.",
            "Väittää, että ylläpito kuuluu hintaan; tarjouksessa se on selvästi erikseen.",
            "Valehteli suoraan: sanoi projektipäällikkömme luvanneen alennuksen puhelimessa.",
            "Maksoi vain puolet ja sanoo, että niin sovittiin. Ei sovittu.",
            "Allekirjoitti määrittelyn, nyt hän väittää tarkoittaneensa jotain aivan muuta.",
            "Tulkitsee sopimusta aina niin kuin hänelle sopii.",
            "Laittaa suuhuni sanoja, joita en ole sanonut, ettei tarvitsisi maksaa lisätöistä.",
            "Esittää, ettei olisi saanut allekirjoittamaansa muutostilausta.",
            "ei muka sovittu mitään tuntihinnasta, vaikka sähköposti on tallessa",
            "Unohti kätevästi, että hän toimittaa kuvat itse.",
            "Peruu jälkikäteen sen, mistä sovimme maksuajasta.",
            "Vaihtaa sovittuja ehtoja aina kun laskun aika tulee.",
        ],
        "lv": [
            "Tagad saka, ka divas papildu lapas 'protams' bija iekļautas paketē. Nebija.",
            "Apgalvo, ka nekad nav apstiprinājis dizainu, lai gan mums ir viņa e-pasts ar "
            "'apstiprināts'.",
            "Izliekas, ka par avansu nekad nav runāts, lai gan tas ir līgumā.",
            "Vienojāmies par trim labojumu kārtām, tagad viņš uzstāj, ka solījām neierobežotu "
            "skaitu.",
            "Pēkšņi 'neatceras', ka piekrita stundas likmei.",
            "Pārrakstīja sapulces protokolu, lai izskatītos, ka solījām palaišanu jūlijā.",
            "Savam priekšniekam pateica, ka mēs piekritām to izdarīt bez maksas. Nekad "
            "neesam piekrituši.",
            "Saka, ka uzturēšana ir iekļauta cenā; piedāvājumā tā skaidri norādīta atsevišķi.",
            "Viņš vienkārši meloja: teica, ka mūsu projektu vadītāja pa telefonu solīja atlaidi.",
            "Samaksāja tikai pusi un saka, ka tā bija norunāts. Tā nebija.",
            "Parakstīja specifikāciju, tagad apgalvo, ka domājis ko pavisam citu.",
            "Vienmēr interpretē līgumu tā, kā viņam izdevīgi.",
            "Liek man mutē vārdus, ko neesmu teicis, lai nebūtu jāmaksā par papilddarbiem.",
            "Izliekas, ka nav saņēmis izmaiņu pasūtījumu, ko pats parakstīja.",
            "Ērti aizmirsa, ka fotogrāfijas sagādā pats.",
            "Pēc tam mainīja to, par ko vienojāmies attiecībā uz apmaksas termiņu.",
            "apgalvo ka nekad neesot solijis maksat avansu, lai gan tas ir liguma",
            "Tagad izliekas, ka termiņš vienmēr bijis pirmais datums, lai gan rakstiski "
            "vienojāmies par piecpadsmito.",
        ],
    },
    "plays_competitors": {
        "en": [
            "Forwarded a quote from some other studio and asked us to 'do better' on the "
            "agreed price.",
            "Says a guy in India would do the whole site for 300 euros, so our invoice is "
            "too high.",
            "Mid-project he tells us another developer offered to finish it for half.",
            "Threatens to switch to a cheaper freelancer unless we drop the rate.",
            "Got three new bids after we signed and now wants us to match the lowest.",
            "keeps waving a competing offer at us every time we invoice",
            "Told us an Upwork freelancer would do it for a third of our fee.",
            "Said he can get the same thing elsewhere for much less and wants a lower price.",
            "Compared our signed quote with a template shop and wants to pay their price.",
            "Uses the rival agency's quote as leverage to renegotiate the retainer.",
            "Another studio offered him a lower rate, so he wants us to cut ours by 20%.",
            "Plays us off against the other agency to squeeze the price after we already started.",
            "Brought a cheaper offer from a competitor to the review meeting and asked us to "
            "beat it.",
            "says other freelancers charge way less, wants us to lower the rate we agreed",
            "Wants to cancel the signed contract because a rival promised it cheaper and faster.",
            "After signing he shopped our design around and came back with a lower price "
            "from another firm.",
        ],
        "hu": [
            "Továbbította egy másik stúdió ajánlatát, és azt kérte, 'adjunk jobbat' a "
            "megbeszélt árhoz képest.",
            "Azt mondja, egy indiai srác 300 euróért megcsinálná az egész oldalt, úgyhogy "
            "drága a számlánk.",
            "A projekt közepén közölte, hogy egy másik fejlesztő feleannyiért befejezné.",
            "Azzal fenyeget, hogy átmegy egy olcsóbb szabadúszóhoz, ha nem csökkentjük az "
            "óradíjat.",
            "Aláírás után még három ajánlatot kért be, és most a legolcsóbbhoz igazodjunk.",
            "Egy másik cég ajánlatát lobogtatja minden megbeszélésen.",
            "Szerinte máshol sokkal kevesebbért megkapná ugyanezt, ezért engedjünk.",
            "A rivális ügynökség ajánlatával akarja újratárgyalni a havidíjat.",
            "Egy másik stúdió alacsonyabb óradíjat ajánlott neki, ezért tőlünk is 20% "
            "csökkentést kér.",
            "Kijátszik minket a másik ügynökséggel, hogy lejjebb nyomja az árat, pedig már "
            "elkezdtük.",
            "Az Upworkön talált valakit, aki harmadannyiért megcsinálná.",
            "Fel akarja bontani az aláírt szerződést, mert valaki olcsóbban és gyorsabban ígérte.",
            "mas ceg olcsobban csinalna, most ujra akar alkudni",
            "Egy konkurens cég ajánlatát hozta a meetingre, hogy üssük le.",
            "Azt mondta, a többi szabadúszó jóval kevesebbet kér, csökkentsük a megbeszélt díjat.",
            "Mutatott egy olcsóbb árajánlatot, és azt kérte, hogy menjünk alá.",
            "A szerződés után körbekérdezett más cégeket, és most egy alacsonyabb árral jött "
            "vissza.",
        ],
        "fi": [
            "Välitti toisen studion tarjouksen ja pyysi meitä 'pärjäämään paremmin' sovitussa "
            "hinnassa.",
            "Sanoo, että joku intialainen tekisi koko sivuston 300 eurolla, joten laskumme on "
            "liian suuri.",
            "Kesken projektin ilmoitti, että toinen kehittäjä tarjoutui viemään sen loppuun "
            "puoleen hintaan.",
            "Uhkaa vaihtaa halvempaan freelanceriin, jos emme laske tuntihintaa.",
            "Pyysi allekirjoituksen jälkeen kolme uutta tarjousta ja haluaa nyt, että "
            "vastaamme halvimpaan.",
            "Heiluttaa toisen firman tarjousta joka palaverissa.",
            "Hänen mukaansa saman saisi muualta paljon halvemmalla, joten meidän pitäisi joustaa.",
            "Käyttää kilpailevan toimiston tarjousta vipuna kuukausihinnan uudelleenneuvotteluun.",
            "Toinen studio tarjosi hänelle pienemmän tuntihinnan, joten hän haluaa meidänkin "
            "laskevan 20 %.",
            "Pelaa meitä toista toimistoa vastaan painaakseen hintaa, vaikka työ on jo aloitettu.",
            "Löysi Upworkista jonkun, joka tekisi sen kolmasosalla hinnasta.",
            "Haluaa purkaa allekirjoitetun sopimuksen, koska joku lupasi tehdä sen "
            "halvemmalla ja nopeammin.",
            "toinen firma tekis halvemmalla, nyt haluu neuvotella uudestaan",
            "Toi kilpailijan tarjouksen palaveriin ja pyysi alittamaan sen.",
            "Sanoi, että muut freelancerit veloittavat paljon vähemmän, ja haluaa laskea "
            "sovittua hintaa.",
            "Näytti halvemman tarjouksen ja pyysi, että menemme sen alle.",
            "Sopimuksen jälkeen hän pyysi hintaa muilta ja tuli takaisin pienemmän summan kanssa.",
        ],
        "lv": [
            "Pārsūtīja citas studijas piedāvājumu un lūdza mūs 'piedāvāt labāk' par jau "
            "norunāto cenu.",
            "Saka, ka kāds puisis no Indijas visu lapu uztaisītu par 300 eiro, tāpēc mūsu "
            "rēķins esot par lielu.",
            "Projekta vidū paziņoja, ka cits izstrādātājs piedāvāja to pabeigt par pusi lētāk.",
            "Draud pāriet pie lētāka ārštata darbinieka, ja nesamazināsim stundas likmi.",
            "Pēc līguma parakstīšanas pieprasīja vēl trīs piedāvājumus un tagad grib, lai "
            "pielāgojamies lētākajam.",
            "Katrā sapulcē vicina citas firmas piedāvājumu.",
            "Viņaprāt, to pašu citur varētu dabūt daudz lētāk, tāpēc mums jāpiekāpjas.",
            "Izmanto konkurējošās aģentūras piedāvājumu, lai pārrunātu ikmēneša maksu.",
            "Cita studija viņam piedāvāja zemāku likmi, tāpēc viņš grib, lai arī mēs "
            "samazinām par 20%.",
            "Izspēlē mūs pret otru aģentūru, lai nospiestu cenu, lai gan darbs jau sākts.",
            "Atrada Upwork kādu, kas to izdarītu par trešdaļu cenas.",
            "Grib lauzt parakstīto līgumu, jo kāds apsolīja to izdarīt lētāk un ātrāk.",
            "cita firma taisitu letak, tagad grib parrunat cenu",
            "Atnesa uz sapulci konkurenta piedāvājumu un lūdza to pārsist.",
            "Teica, ka citi ārštata darbinieki prasa daudz mazāk, un grib samazināt norunāto cenu.",
            "Parādīja lētāku piedāvājumu un lūdza, lai ejam zem tā.",
            "Pēc līguma noslēgšanas aptaujāja citas firmas un atnāca ar zemāku cenu.",
        ],
    },
    "legal_risk": {
        "en": [
            "Said his brother-in-law is a lawyer and 'will look at our contract'.",
            "Threatening to take this to small claims if we don't refund.",
            "Wants the Nike logo on the shirts without any licence.",
            "Asked us to scrape customer emails from LinkedIn for the mailing list.",
            "Asked to invoice the work as 'consulting' so he can claim it from the EU grant.",
            "Says he'll report us to the consumer authority.",
            "Sent a formal letter demanding compensation for the delay.",
            "Wants us to copy another company's website one to one, texts and photos included.",
            "Asked us to remove the cookie banner so the tracking 'just works'.",
            "asked to pay part in cash without an invoice",
            "Threatened to go to the press and to the authorities over the bug.",
            "Wants us to use music from Spotify in the ad without a licence.",
            "Wants fake 5-star reviews on Google from our staff accounts.",
            "Demands damages for lost sales during the downtime.",
            "Wants us to collect health data from visitors without their consent.",
            "His legal team is 'reviewing options' after the outage, he says.",
            "Asked us to send the newsletter to a bought email list.",
        ],
        "hu": [
            "Azt mondta, a sógora ügyvéd, és 'átnézi a szerződésünket'.",
            "Azzal fenyeget, hogy bírósághoz fordul, ha nem adjuk vissza a pénzt.",
            "A Nike logóját akarja a pólókra, engedély nélkül.",
            "Arra kért, hogy gyűjtsük le az ügyfelek e-mail címeit a LinkedInről a hírlevélhez.",
            "Azt kérte, hogy tanácsadásként számlázzuk, hogy elszámolhassa a pályázatból.",
            "Azt akarja, hogy a számlát a felesége cégére állítsuk ki, más dátummal.",
            "Azt mondja, feljelent minket a fogyasztóvédelemnél.",
            "Hivatalos levélben kártérítést követel a csúszás miatt.",
            "Vegyük le a süti-bannert, hogy a követés 'csak működjön'.",
            "Készpénzben fizetne, számla nélkül.",
            "Azzal fenyegetőzik, hogy a sajtóhoz és a hatóságokhoz megy.",
            "Zenét akar a Spotifyról a reklámba, licenc nélkül.",
            "Kamu ötcsillagos értékeléseket kér a Google-re a munkatársaink nevében.",
            "Kártérítést követel az elmaradt bevétel miatt.",
            "ugyvedet emlegetett a telefonban",
            "Jogi útra terelné az ügyet, ha nem engedünk.",
            "Egészségügyi adatokat akar gyűjteni a látogatóktól hozzájárulásuk nélkül.",
            "Másoljuk le egy másik cég weboldalát szövegestül, képestül.",
        ],
        "fi": [
            "Sanoi, että hänen lankonsa on lakimies ja 'katsoo sopimuksemme läpi'.",
            "Uhkaa viedä asian kuluttajariitalautakuntaan, jos emme hyvitä.",
            "Haluaa Niken logon paitoihin ilman lupaa.",
            "Pyysi keräämään asiakkaiden sähköpostiosoitteet LinkedInistä uutiskirjettä varten.",
            "Pyysi laskuttamaan työn 'konsultointina', jotta voi hakea sen EU-tuesta.",
            "Haluaa laskun vaimonsa yrityksen nimiin ja eri päivämäärällä.",
            "Sanoo tekevänsä meistä ilmoituksen kuluttajaviranomaiselle.",
            "Lähetti virallisen kirjeen ja vaatii korvauksia viivästyksestä.",
            "Haluaa kopioida toisen yrityksen sivuston tekstit ja kuvat sellaisenaan.",
            "Pyysi poistamaan evästebannerin, jotta seuranta 'vain toimii'.",
            "Haluaa maksaa osan käteisellä ilman kuittia.",
            "Uhkasi mennä lehdistöön ja viranomaisille.",
            "Haluaa mainokseen Spotifysta musiikkia ilman lisenssiä.",
            "Pyytää henkilökuntaamme kirjoittamaan Googleen tekaistuja viiden tähden arvosteluja.",
            "Vaatii vahingonkorvausta menetetyistä myynneistä katkon ajalta.",
            "lakimiehet hoitaa tän kuulemma jatkossa",
            "Aikoo haastaa meidät oikeuteen viivästyksestä.",
            "Haluaa kerätä kävijöiden terveystietoja ilman heidän suostumustaan.",
        ],
        "lv": [
            "Teica, ka viņa svainis ir jurists un 'izskatīs mūsu līgumu'.",
            "Draud vērsties PTAC, ja neatmaksāsim naudu.",
            "Grib, lai uz T-krekliem liekam Nike logo bez atļaujas.",
            "Lūdza savākt klientu e-pastus no LinkedIn jaunumu vēstulei.",
            "Lūdza izrakstīt rēķinu kā 'konsultācijas', lai varētu to norakstīt uz ES projektu.",
            "Grib, lai rēķinu izrakstām uz sievas uzņēmumu un ar citu datumu.",
            "Saka, ka ziņos par mums patērētāju tiesību aizsardzības centram.",
            "Atsūtīja oficiālu vēstuli, pieprasot kompensāciju par kavējumu.",
            "Grib nokopēt citas firmas mājaslapu vienu pret vienu, ar tekstiem un bildēm.",
            "Lūdza noņemt sīkdatņu paziņojumu, lai izsekošana 'vienkārši strādātu'.",
            "Grib daļu samaksāt skaidrā naudā bez rēķina.",
            "Draudēja iet uz presi un pie iestādēm.",
            "Grib reklāmā mūziku no Spotify bez licences.",
            "Lūdz mūsu darbiniekus rakstīt Google viltotas piecu zvaigžņu atsauksmes.",
            "Pieprasa atlīdzināt zaudējumus par dīkstāves laikā negūto peļņu.",
            "advokatu pieminēja telefona",
            "Grib iesūdzēt mūs tiesā par kavējumu.",
            "Grib vākt apmeklētāju veselības datus bez viņu piekrišanas.",
        ],
    },
}

QUIET = {
    "disrespectful": {
        "en": [
            "Never once condescending, always asks for our opinion first.",
            "He was not rude at all, just tired after the trip.",
            "Their old agency talked down to them, they said; glad to work with people who listen.",
            "Complained that their customers are rude on the phone.",
            "New website for the amateur theatre group is live.",
            "He asked us to explain how we test the code, really interested.",
            "Said our designer clearly knows her job better than anyone they worked with.",
            "Gave detailed critical feedback on the draft, polite and fair.",
            "Not patronising in the least, he thanked the whole team.",
        ],
        "hu": [
            "Nagyon udvarias volt, egyáltalán nem lekezelő.",
            "Nem volt tiszteletlen, csak fáradt volt.",
            "Az előző ügynökségük lekezelően bánt velük, ezért jöttek hozzánk.",
            "Megkérdezte, hogyan szoktuk csinálni a tesztelést, érdeklődő volt.",
            "Dicsérte a csapatot: látszik, hogy értünk a szakmánkhoz.",
            "Kritikus, de korrekt visszajelzést adott a tervre.",
            "Az amatőr színtársulat honlapja elkészült.",
            "Soha nem oktatott ki minket, mindig kikéri a véleményünket.",
            "Elmesélte, hogy az ügyfelei sokszor bunkók a telefonban.",
        ],
        "fi": [
            "Asiakas ei ollut lainkaan ylimielinen, päinvastoin.",
            "Ei koskaan vähättele työtämme, kiittää aina.",
            "Heidän edellinen toimistonsa oli ylimielinen, siksi he vaihtoivat meihin.",
            "Kysyi, miten yleensä teemme käytettävyystestauksen.",
            "Kehui, että osaamme todella asiamme.",
            "Amatööriteatterin sivut julkaistiin.",
            "Antoi kriittistä mutta asiallista palautetta luonnoksesta.",
            "Kertoi, että heidän asiakkaansa ovat usein tylyjä puhelimessa.",
        ],
        "lv": [
            "Nebija augstprātīgs, vienkārši steidzās.",
            "Viņu iepriekšējā aģentūra bija ļoti augstprātīga, tāpēc viņi nāca pie mums.",
            "Jautāja, kā mēs parasti testējam lapu.",
            "Uzslavēja komandu: redzams, ka zinām savu darbu.",
            "Amatieru teātra mājaslapa ir gatava.",
            "Sniedza kritisku, bet korektu atsauksmi par maketu.",
            "Stāstīja, ka viņu klienti bieži ir rupji pa telefonu.",
            "Nekad nav izturējies augstprātīgi, vienmēr pateicas.",
        ],
    },
    "ignores_advice": {
        "en": [
            "He followed our advice on the hosting and the launch went smoothly.",
            "Asked for our recommendation on the CMS and went with it.",
            "Their previous developer ignored the warnings and the site crashed.",
            "We advised a soft launch and they agreed straight away.",
            "Did not ignore our advice this time: tested everything before launch.",
            "He listened to our concerns and postponed the launch.",
            "We warned them about the holiday schedule and they planned around it.",
            "Our advice to keep backups saved the day when their server died.",
            "Advised them to upgrade the plugin; done and working.",
        ],
        "hu": [
            "Megfogadta a tanácsunkat a tárhelyről, minden simán ment.",
            "Kikérte a véleményünket a CMS-ről, és aszerint döntött.",
            "Szóltunk, hogy decemberben szabadságon leszünk, és ehhez igazította a tervet.",
            "Az előző fejlesztőjük figyelmen kívül hagyta a figyelmeztetéseket, ezért omlott "
            "össze az oldal.",
            "Ezúttal nem hagyta figyelmen kívül a tanácsunkat, mindent teszteltünk.",
            "Meghallgatta az aggályainkat, és elhalasztotta az indulást.",
            "A mentésekről adott tanácsunk mentette meg az adatokat.",
            "Javasoltuk a bővítmény frissítését, megcsinálták, működik.",
        ],
        "fi": [
            "Noudatti neuvoamme palvelimesta ja julkaisu meni hyvin.",
            "Kysyi suositustamme julkaisualustasta ja valitsi sen.",
            "Varoitimme heitä lomakauden aikataulusta, ja he suunnittelivat sen mukaan.",
            "Heidän edellinen toimittajansa ei kuunnellut heitä lainkaan.",
            "Tällä kertaa hän ei jättänyt neuvojamme huomiotta, kaikki testattiin.",
            "Kuunteli huolemme ja siirsi julkaisua.",
            "Neuvomme varmuuskopioista pelasti tilanteen.",
            "Suosittelimme lisäosan päivitystä, se tehtiin ja toimii.",
        ],
        "lv": [
            "Ievēroja mūsu padomu par hostingu, un palaišana noritēja gludi.",
            "Jautāja mūsu ieteikumu par CMS un to izvēlējās.",
            "Mēs brīdinājām viņus par svētku grafiku, un viņi plānoja atbilstoši.",
            "Viņu iepriekšējais izstrādātājs ignorēja brīdinājumus, tāpēc lapa nobruka.",
            "Šoreiz ņēma vērā mūsu ieteikumus, viss tika notestēts.",
            "Uzklausīja mūsu bažas un pārcēla palaišanu.",
            "Mūsu padoms par rezerves kopijām izglāba situāciju.",
            "Ieteicām atjaunināt spraudni, tas izdarīts un strādā.",
        ],
    },
    "dishonest": {
        "en": [
            "Confirmed in writing everything we agreed on the call.",
            "He remembered the deposit before I did and paid it at once.",
            "Their previous agency lied to them about the hosting costs, they told us.",
            "Asked whether hosting is included; we said no and he agreed.",
            "We misunderstood the brief; he explained patiently and we fixed it.",
            "Not dishonest at all, he corrected our invoice in our favour.",
            "Reviewed the contract with us line by line; no surprises.",
            "He said the two extra pages were not included and asked for a separate quote.",
            "Honest feedback: he said the first draft did not work for him.",
        ],
        "hu": [
            "Írásban megerősítette mindazt, amiben telefonon megállapodtunk.",
            "Ő emlékezett előbb az előlegre, és azonnal kifizette.",
            "Az előző ügynökségük hazudott nekik a tárhely költségeiről, mondták.",
            "Megkérdezte, benne van-e a tárhely; mondtuk, hogy nem, és elfogadta.",
            "Félreértettük a briefet, türelmesen elmagyarázta, kijavítottuk.",
            "Teljesen korrekt, a számlánkat a mi javunkra javította.",
            "Soronként átnéztük vele a szerződést, semmi meglepetés.",
            "Jelezte, hogy a két extra oldal nincs benne az árban, és külön ajánlatot kért.",
        ],
        "fi": [
            "Vahvisti kirjallisesti kaiken, mitä puhelimessa sovittiin.",
            "Muisti ennakkomaksun ennen minua ja maksoi sen heti.",
            "Heidän edellinen toimistonsa valehteli heille ylläpitokuluista, he kertoivat.",
            "Kysyi, sisältyykö ylläpito hintaan; sanoimme ettei, ja hän hyväksyi sen.",
            "Ymmärsimme briefin väärin, hän selitti kärsivällisesti ja korjasimme.",
            "Täysin rehellinen, korjasi laskumme meidän eduksemme.",
            "Kävimme sopimuksen läpi rivi riviltä, ei yllätyksiä.",
            "Totesi, että lisäsivut eivät sisälly hintaan, ja pyysi niistä erillisen tarjouksen.",
        ],
        "lv": [
            "Rakstiski apstiprināja visu, par ko vienojāmies telefonā.",
            "Atcerējās par avansu pirms manis un uzreiz samaksāja.",
            "Viņu iepriekšējā aģentūra meloja viņiem par hostinga izmaksām, viņi stāstīja.",
            "Jautāja, vai hostings ir iekļauts; teicām, ka nav, un viņš piekrita.",
            "Mēs pārpratām uzdevumu, viņš pacietīgi paskaidroja, un mēs to izlabojām.",
            "Pilnīgi godīgs, izlaboja mūsu rēķinu mums par labu.",
            "Izgājām cauri līgumam rindu pa rindai, nekādu pārsteigumu.",
            "Norādīja, ka papildu lapas nav iekļautas cenā, un lūdza atsevišķu piedāvājumu.",
        ],
    },
    "plays_competitors": {
        "en": [
            "Before signing, they compared three agencies and chose us.",
            "We prepared a competitor analysis for their new product.",
            "Their competitors launched a new app; they want a similar feature.",
            "Asked for references from other clients before the contract.",
            "Benchmarking their site against the market leader, as agreed in the brief.",
            "We lost the tender to a cheaper agency, no hard feelings.",
            "He never mentioned other agencies, happy with the price.",
            "Collected quotes from three printers before choosing one, as we suggested.",
        ],
        "hu": [
            "Aláírás előtt három ügynökséget hasonlított össze, és minket választott.",
            "Versenytárselemzést készítettünk az új termékükhöz.",
            "A versenytársaik új appot indítottak, hasonló funkciót szeretnének.",
            "Soha nem említett más ügynökséget, elégedett az árral.",
            "Megrendelés előtt más ajánlatokat is bekért, ez teljesen rendben van.",
            "Összevetettük az oldalukat a piacvezetőével, ahogy a briefben állt.",
            "Referenciákat kért a korábbi ügyfeleinktől a szerződés előtt.",
            "A tendert egy olcsóbb ügynökség nyerte, semmi gond.",
        ],
        "fi": [
            "Ennen allekirjoitusta he vertasivat kolmea toimistoa ja valitsivat meidät.",
            "Teimme kilpailija-analyysin heidän uudesta tuotteestaan.",
            "Heidän kilpailijansa julkaisi uuden sovelluksen; he haluavat samanlaisen "
            "ominaisuuden.",
            "Ei ole koskaan maininnut muita toimistoja, tyytyväinen hintaan.",
            "Tarjouskilpailun voitti halvempi toimisto, ei haittaa.",
            "Pyysi ennen tilausta myös muita tarjouksia, mikä on aivan ok.",
            "Vertasimme sivustoa markkinajohtajaan, kuten briefissä sovittiin.",
            "Pyysi suosituksia aiemmilta asiakkailtamme ennen sopimusta.",
        ],
        "lv": [
            "Pirms līguma parakstīšanas viņi salīdzināja trīs aģentūras un izvēlējās mūs.",
            "Sagatavojām konkurentu analīzi viņu jaunajam produktam.",
            "Viņu konkurenti palaida jaunu lietotni; viņi grib līdzīgu funkciju.",
            "Nekad nav pieminējis citas aģentūras, apmierināts ar cenu.",
            "Iepirkumā uzvarēja lētāka aģentūra, nekas ļauns.",
            "Pirms pasūtījuma lūdza arī citus piedāvājumus, tas ir pilnīgi normāli.",
            "Salīdzinājām lapu ar tirgus līderi, kā norunāts uzdevumā.",
            "Pirms līguma lūdza atsauksmes no mūsu iepriekšējiem klientiem.",
        ],
    },
    "legal_risk": {
        "en": [
            "Our lawyer went through the contract, all fine.",
            "The client is a law firm; new website for their court practice.",
            "Wrote the privacy policy together with their lawyer.",
            "Asked whether the image licences are in order; they are.",
            "Discussed GDPR for the newsletter and set up double opt-in.",
            "Their customer threatened to sue them, so they asked us for screenshots of the "
            "old site.",
            "Their lawyer sent over the signed contract.",
            "No legal issues, contract signed and paid.",
        ],
        "hu": [
            "Az ügyvédünk átnézte a szerződést, minden rendben.",
            "Az ügyfél ügyvédi iroda, új honlap a peres gyakorlatukhoz.",
            "Az adatvédelmi tájékoztatót az ő jogászukkal együtt írtuk meg.",
            "Megkérdezte, rendben vannak-e a képek licencei; rendben vannak.",
            "Átbeszéltük a hírlevél GDPR-megfelelését, dupla megerősítést állítottunk be.",
            "Az ügyfelük beperelte őket, ezért régi képernyőképeket kértek tőlünk.",
            "Az ügyvédjük elküldte az aláírt szerződést.",
            "Semmi jogi probléma, a szerződés aláírva, kifizetve.",
        ],
        "fi": [
            "Juristimme kävi sopimuksen läpi, ei huomautettavaa.",
            "Asiakas on asianajotoimisto, uudet sivut heidän oikeudenkäyntipalveluilleen.",
            "Kirjoitimme tietosuojaselosteen yhdessä heidän lakimiehensä kanssa.",
            "Kysyi, ovatko kuvien lisenssit kunnossa; ovat.",
            "Kävimme läpi uutiskirjeen GDPR-asiat ja otimme käyttöön kaksoisvahvistuksen.",
            "Heidän asiakkaansa haastoi heidät oikeuteen, joten he pyysivät meiltä vanhoja "
            "kuvakaappauksia.",
            "Heidän lakimiehensä lähetti allekirjoitetun sopimuksen.",
            "Ei mitään oikeudellisia ongelmia, sopimus allekirjoitettu ja maksettu.",
        ],
        "lv": [
            "Mūsu jurists pārskatīja līgumu, viss kārtībā.",
            "Klients ir advokātu birojs, jauna mājaslapa viņu tiesvedības praksei.",
            "Privātuma politiku rakstījām kopā ar viņu juristu.",
            "Jautāja, vai attēlu licences ir kārtībā; ir.",
            "Izrunājām jaunumu vēstules GDPR prasības un ieviesām dubulto apstiprināšanu.",
            "Viņu klients iesūdzēja viņus tiesā, tāpēc viņi lūdza no mums vecos ekrānuzņēmumus.",
            "Viņu jurists atsūtīja parakstīto līgumu.",
            "Nekādu juridisku problēmu, līgums parakstīts un apmaksāts.",
        ],
    },
}


#: Families of wording seen in a second writer's notes (bench/judgement/dev2) after the
#: bank above was written, each said here in new words in all four languages.
RAISES_TOO = {
    "disrespectful": [
        "He waved away our ten years of experience as 'old habits'.",
        "Asked in the meeting why he is paying us so much for this.",
        "'Let me tell you how a homepage should look,' he told our designer.",
        "Talks to Mia as if she were an intern.",
        "A high-schooler could code this in a day, he says.",
        "He didn't even listen to the end of our proposal.",
        "A tíz év tapasztalatunkat egy legyintéssel elintézte.",
        "Megkérdezte, minek fizet nekünk ennyi pénzt.",
        "Úgy beszélt Kingával, mintha gyakornok lenne.",
        "Szerinte egy gimnazista is megírná ezt a kódot.",
        "A javaslatainkat egy kézmozdulattal söpörte le.",
        "Közölte, hogy tegyük azt, amit mond, és kész.",
        "Kuittasi kymmenen vuoden kokemuksemme olankohautuksella.",
        "Kysyi, miksi hän maksaa meille näin paljon.",
        "Puhui suunnittelijallemme kuin tämä olisi aloittelija.",
        "Lukiolainen tekisi tämän viikonlopussa, hän sanoi.",
        "Ei edes kuunnellut ehdotustamme loppuun.",
        "Tehkää vain mitä käsken, hän sanoi.",
        "Mūsu desmit gadu pieredzi viņš nosauca par nieku.",
        "Jautāja, kāpēc viņam jāmaksā mums tik daudz.",
        "Runāja ar Annu, it kā viņa būtu iesācēja.",
        "Vidusskolnieks to uztaisītu vienā vakarā, viņš teica.",
        "Pat neuzklausīja mūsu priekšlikumu līdz galam.",
        "Es jums parādīšu, kā to dara pareizi, viņš teica.",
    ],
    "ignores_advice": [
        "Told them not to drop the staging server. They dropped it. Now they blame us for "
        "the outage.",
        "Kértük, hogy ne töröljék a régi aloldalakat. Törölték. Most minket hibáztatnak a "
        "forgalom miatt.",
        "Kielsimme poistamasta vanhoja sivuja. He poistivat ne. Nyt he syyttävät meitä "
        "liikenteen laskusta.",
        "Lūdzām nedzēst vecās lapas. Viņi tās izdzēsa. Tagad vaino mūs par apmeklējuma kritumu.",
    ],
    "dishonest": [
        "Claims the contract covered a year of support. It didn't.",
        "Azt állítja, hogy a szerződés tartalmazta a fordítást, pedig nem.",
        "Väittää, että sopimus sisälsi käännökset. Ei sisältänyt.",
        "Apgalvo, ka līgums ietvēra tulkojumus. Tas tos neietvēra.",
    ],
    "legal_risk": [
        "Wants the invoice for a smaller amount and the rest in cash.",
        "Asked us to bill hours we never worked, for his grant report.",
        "Kisebb összegről kérné a számlát, a különbözetet készpénzben adná.",
        "Olyan munkáról kér számlát, amit nem végeztünk el.",
        "Haluaa laskun pienemmästä summasta ja loput käteisellä.",
        "Pyysi laskun työstä, jota emme ole tehneet.",
        "Grib rēķinu par mazāku summu, bet pārējo skaidrā naudā.",
        "Lūdza rēķinu par darbu, ko mēs nekad neesam veikuši.",
    ],
    "plays_competitors": [
        "Wants the same price as the other studio quoted him.",
        "Ugyanannyiért kéri, mint a másik cég.",
        "Vaatii saman hinnan kuin toisen toimiston tarjouksessa.",
        "Prasa to pašu cenu, ko piedāvāja cita aģentūra.",
    ],
}

QUIET_TOO = {
    "legal_risk": [
        "We wrote the pages on their legal services and court representation.",
        "Megírtuk a jogi szolgáltatásaik és a bírósági képviselet oldalait.",
        "Kirjoitimme heidän oikeudenkäyntipalvelujensa sivut.",
        "Uzrakstījām lapas par viņu juridiskajiem pakalpojumiem un pārstāvību tiesā.",
    ],
    "plays_competitors": [
        "Wants the site to look as modern as his competitor's.",
        "Azt szeretné, hogy az oldal olyan modern legyen, mint a konkurenciáé.",
        "Haluaa sivuston yhtä moderniksi kuin kilpailijalla.",
        "Grib, lai lapa izskatās tikpat moderna kā konkurentam.",
    ],
    "disrespectful": [
        "We have twelve years of experience with shops like theirs.",
        "Tizenkét év tapasztalatunk van hasonló webshopokkal.",
        "Meillä on kymmenen vuoden kokemus vastaavista kaupoista.",
        "Mums ir divpadsmit gadu pieredze ar līdzīgiem veikaliem.",
    ],
    "ignores_advice": [
        "We recommended a newsletter; now they want a second one for the shop.",
        "Javasoltuk a hírlevelet, most egy másodikat is kérnek.",
        "Suosittelimme uutiskirjettä, nyt he haluavat toisen kauppaa varten.",
        "Ieteicām jaunumu vēstuli, tagad viņi grib vēl vienu veikalam.",
    ],
}

#: A third round, written after the second, in yet other words: the lists were then
#: widened to the families these showed (a school project, "no idea", laughing at the
#: sketches, the story that changes, health claims, fake badges, domain squatting...).
RAISES_PROBED = {
    "disrespectful": [
        "In the review call he told Tom that a junior at his old company did better work in half "
        "the time.",
        "Calls our UX decisions 'guesswork' and insists his gut feeling beats our user tests.",
        "Sends our designs back with 'redo, this is embarrassing' and nothing else.",
        "A sprint review-n a CTO-juk közölte, hogy a kódunk 'kezdő szintű', és hogy ő két nap "
        "alatt megírná.",
        "Minden e-mailben kioktat minket alapvető dolgokról, mintha most kezdtük volna a szakmát.",
        "Leereszkedő hangon beszél a projektmenedzserünkkel, és rendszeresen a szavába vág.",
        "Hänen mukaansa meidän UX-päätöksemme ovat arvailua, ja hänen vaistonsa voittaa "
        "käyttäjätestit.",
        "Palautti luonnokset pelkällä kommentilla 'tee uusiksi, noloa'.",
        "Asiakkaan toimitusjohtaja sanoi suoraan, että harjoittelija tekisi tämän paremmin.",
        "Viņš mūsu UX lēmumus sauc par minējumiem un uzskata, ka viņa nojauta ir labāka par "
        "testiem.",
        "Atsūtīja dizainu atpakaļ ar komentāru 'pārtaisiet, kauns skatīties'.",
        "Sapulcē nicinoši noteica, ka mūsu kods ir iesācēju līmenī.",
        "Keeps correcting our designer's grammar in front of the client's whole team, as if she "
        "couldn't write.",
        "Said our portfolio looks like a school project.",
        "\"You're just the hands, I'm the brain\" - his words on the call today.",
        "Forwarded our proposal to his board with the comment 'they clearly have no idea'.",
        "Rewrote our copy himself and sent it back marked 'fixed', no explanation.",
        "Lenézően beszél a fejlesztőinkkel, mintha kezdők lennének.",
        "Szerinte a munkánk 'amatőr kókányolás', ezt a főnökének is megírta.",
        "A megbeszélésen kijavította a grafikusunkat minden mondatánál, és kinevette a vázlatot.",
        "Azt mondta, ennyit egy gyakornok is tudna, minek nekünk ennyi pénz.",
        "Folyamatosan félbeszakít, és megmondja, hogyan kellene dolgoznunk.",
        "Hänen mielestään portfoliomme näyttää koulutyöltä.",
        "Keskeytti suunnittelijamme esityksen ja sanoi, ettei meillä ole hajuakaan.",
        "Kirjoitti johtoryhmälle, että emme selvästi osaa hommaamme.",
        "Puhuu meille ylimielisesti ja neuvoo, miten meidän kuuluu tehdä työmme.",
        "Nauroi luonnoksille ääneen ja kysyi, kuka tämän on piirtänyt.",
        "Teica, ka mūsu portfolio izskatās pēc skolas projekta.",
        "Pārtrauca mūsu dizaineri un teica, ka mums nav ne jausmas.",
        "Uzrakstīja valdei, ka mēs acīmredzot nezinām savu darbu.",
        "Runā ar mums augstprātīgi un māca, kā mums jāstrādā.",
        "Skaļi smējās par skicēm un jautāja, kas to zīmējis.",
    ],
    "ignores_advice": [
        "Our developer told them the plugin was outdated. They kept it, got hacked, and now it's "
        "'our security problem'.",
        "Határozottan javasoltuk a fokozatos élesítést. Pénteken mindent egyszerre élesítettek, "
        "szombatra leállt az app, most ingyenes hétvégi támogatást kérnek.",
        "A fejlesztőnk szólt, hogy a bővítmény elavult. Megtartották, feltörték őket, és most ez "
        "'a mi biztonsági problémánk'.",
        "Mūsu izstrādātājs teica, ka spraudnis ir novecojis. Viņi to paturēja, tika uzlauzti, un "
        "tagad tā esot mūsu drošības problēma.",
        "We flagged the missing SSL twice. He said later. Now Chrome shows 'not secure' and he "
        "wants it fixed today.",
        "Against everything we said he uploaded 40 MB photos; the site is crawling and it's "
        "supposedly our hosting's fault.",
        "Our SEO guy told them to keep the blog URLs. They changed all of them anyway, now "
        "traffic is gone.",
        "He overrode our choice of payment provider; now refunds fail and he expects us to sort "
        "it for free.",
        "Ignored the checklist we sent and is now furious the launch failed.",
        "Kétszer jeleztük, hogy hiányzik az SSL. Később, mondta. Most a Chrome 'nem "
        "biztonságos'-t ír, és mára kéri a javítást.",
        "Minden tanácsunk ellenére 40 MB-os fotókat töltött fel, most lassú az oldal, és "
        "szerinte a tárhely a hibás.",
        "A SEO-s kollégánk mondta nekik, hogy ne írják át a blog URL-jeit. Átírták, most eltűnt "
        "a forgalom.",
        "Nem törődött az ellenőrzőlistánkkal, most dühös, hogy elbukott az indulás.",
        "Felülbírálta a fizetési szolgáltató választásunkat, most nem mennek a visszatérítések, "
        "és ingyen várja a javítást.",
        "Huomautimme puuttuvasta SSL:stä kahdesti. Myöhemmin, hän sanoi. Nyt Chrome näyttää "
        "varoitusta ja hän haluaa korjauksen tänään.",
        "Kaikista neuvoistamme huolimatta hän latasi 40 megan kuvia, sivu on hidas ja vika on "
        "muka palvelimessa.",
        "SEO-asiantuntijamme sanoi, että blogin osoitteet pidetään. He muuttivat ne silti, nyt "
        "liikenne on poissa.",
        "Hän ohitti maksupalveluvalintamme, nyt hyvitykset eivät toimi ja hän odottaa, että "
        "korjaamme sen ilmaiseksi.",
        "Ei välittänyt lähettämästämme tarkistuslistasta ja on nyt raivoissaan, kun julkaisu "
        "epäonnistui.",
        "Divreiz norādījām, ka trūkst SSL. Vēlāk, viņš teica. Tagad Chrome rāda brīdinājumu, un "
        "viņš grib labojumu šodien.",
        "Pretēji visam, ko teicām, viņš augšupielādēja 40 MB bildes; lapa ir lēna, un vainīgs "
        "esot mūsu hostings.",
        "Mūsu SEO speciālists teica saglabāt bloga adreses. Viņi tās tomēr nomainīja, tagad "
        "apmeklējums ir pazudis.",
        "Viņš ignorēja mūsu maksājumu sistēmas izvēli, tagad atmaksas nestrādā, un viņš gaida, "
        "ka salabosim bez maksas.",
        "Nepievērsa uzmanību mūsu pārbaudes sarakstam un tagad ir nikns, ka palaišana izgāzās.",
    ],
    "dishonest": [
        "After approving the wireframes in writing, he now claims he never saw them.",
        "Insists the retainer covered unlimited support calls; the signed scope says 4 hours a "
        "month.",
        "Swore on the phone he never asked for the extra language version. His email from June "
        "asks for exactly that.",
        "Miután írásban jóváhagyta a drótvázakat, most azt állítja, sosem látta őket.",
        "Ragaszkodik hozzá, hogy a havidíjban korlátlan támogatás van; az aláírt szerződés havi "
        "4 órát ír.",
        "Telefonon megesküdött, hogy sosem kérte a plusz nyelvi verziót. A júniusi e-mailjében "
        "pontosan ezt kéri.",
        "Hyväksyttyään rautalankamallit kirjallisesti hän väittää nyt, ettei ole koskaan nähnyt "
        "niitä.",
        "Väittää, että kuukausimaksu kattoi rajattoman tuen; allekirjoitettu sopimus sanoo 4 "
        "tuntia kuussa.",
        "Vannoi puhelimessa, ettei koskaan pyytänyt lisäkieliversiota. Hänen kesäkuun "
        "sähköpostinsa pyytää juuri sitä.",
        "Pēc tam, kad rakstiski apstiprināja maketus, tagad apgalvo, ka nekad tos nav redzējis.",
        "Uzstāj, ka abonēšanas maksā ietilpa neierobežots atbalsts; parakstītajā līgumā ir 4 "
        "stundas mēnesī.",
        "Pa telefonu zvērēja, ka nekad nav prasījis papildu valodas versiju. Viņa jūnija e-pastā "
        "tieši to arī prasa.",
        "The brief he signed says 5 pages; now he swears we promised 12.",
        "Keeps 'remembering' meetings that never happened where we supposedly offered free "
        "hosting.",
        "Says the deposit was refundable. The contract he signed says it isn't.",
        "Changed his story about the deadline three times this week.",
        "Az általa aláírt brief 5 oldalról szól, most esküszik, hogy 12-t ígértünk.",
        "Olyan megbeszélésekre 'emlékszik', amelyek meg sem történtek, és ahol állítólag ingyen "
        "tárhelyet ígértünk.",
        "Azt mondja, az előleg visszajár. Az aláírt szerződés szerint nem.",
        "Ezen a héten háromszor változtatta a sztorit a határidőről.",
        "Hänen allekirjoittamassaan briefissä on 5 sivua, nyt hän vannoo, että lupasimme 12.",
        "Kertoi kirjanpitäjälleen, että sovimme 90 päivän maksuajasta. Sovimme 30 päivää, "
        "kirjallisesti.",
        "'Muistaa' palavereja, joita ei koskaan pidetty ja joissa muka lupasimme ilmaisen "
        "ylläpidon.",
        "Sanoo, että ennakko palautetaan. Hänen allekirjoittamansa sopimuksen mukaan ei.",
        "Muutti tarinaansa aikataulusta kolme kertaa tällä viikolla.",
        "Viņa parakstītajā uzdevumā ir 5 lapas, tagad viņš zvēr, ka solījām 12.",
        "'Atceras' sapulces, kuru nekad nav bijis, kur mēs it kā solījām bezmaksas hostingu.",
        "Saka, ka avanss ir atmaksājams. Viņa parakstītajā līgumā rakstīts, ka nav.",
        "Šonedēļ trīs reizes mainīja stāstu par termiņu.",
    ],
    "plays_competitors": [
        "Three weeks into the build he forwarded a Polish agency's offer at half our rate and "
        "asked us to 'be reasonable'.",
        "Says his cousin's startup would do the app for a third, so our milestone invoice should "
        "come down.",
        "Now that the contract is signed he keeps quoting another developer's lower day rate at "
        "every meeting.",
        "Három héttel a fejlesztés után továbbította egy lengyel ügynökség ajánlatát a mi "
        "óradíjunk feléért, hogy 'legyünk észszerűek'.",
        "Szerinte az unokatestvére startupja harmadannyiért megcsinálná az appot, úgyhogy a "
        "mérföldkő-számlánk legyen kisebb.",
        "Az aláírás óta minden megbeszélésen egy másik fejlesztő alacsonyabb napidíját hozza fel.",
        "Kolme viikkoa rakentamisen jälkeen hän välitti puolalaisen toimiston tarjouksen puoleen "
        "hintaamme ja pyysi meitä olemaan kohtuullisia.",
        "Hänen serkkunsa startup tekisi sovelluksen kolmasosalla, joten välilaskumme pitäisi "
        "laskea.",
        "Sopimuksen allekirjoituksen jälkeen hän mainitsee joka palaverissa toisen kehittäjän "
        "halvemman päivähinnan.",
        "Trīs nedēļas pēc izstrādes sākuma pārsūtīja kādas Polijas aģentūras piedāvājumu par "
        "pusi no mūsu likmes un lūdza 'būt saprātīgiem'.",
        "Saka, ka brālēna jaunuzņēmums lietotni uztaisītu par trešdaļu, tāpēc mūsu starprēķinam "
        "jābūt mazākam.",
        "Kopš līguma parakstīšanas katrā sapulcē piemin cita izstrādātāja zemāko dienas likmi.",
        "Two weeks after signing: 'a freelancer on LinkedIn offered the same for 60% less, your "
        "move.'",
        "He pasted a rival agency's rate card into the chat and asked why we cost more.",
        "Now that we're halfway, he says he could take it to a cheaper shop in Kraków unless we "
        "drop 20%.",
        "Keeps bringing up what 'the other guys' charge every time we talk about the invoice.",
        "Got a quote from our competitor after the kickoff and wants us to beat it.",
        "Két héttel aláírás után: egy LinkedInes szabadúszó 60%-kal olcsóbban csinálná, most mi "
        "jövünk.",
        "Bemásolta egy rivális ügynökség árlistáját, és megkérdezte, miért vagyunk drágábbak.",
        "Félúton azt mondja, átviheti egy olcsóbb krakkói céghez, ha nem engedünk 20%-ot.",
        "Minden számlánál előhozza, mennyit kérnek 'a többiek'.",
        "A kickoff után ajánlatot kért a konkurenciától, és most azt várja, hogy verjük meg.",
        "Kaksi viikkoa allekirjoituksen jälkeen: LinkedInin freelancer tekisi saman 60 % "
        "halvemmalla.",
        "Liitti kilpailevan toimiston hinnaston chattiin ja kysyi, miksi olemme kalliimpia.",
        "Puolivälissä hän sanoo voivansa viedä työn halvemmalle firmalle, jos emme laske hintaa "
        "20 %.",
        "Ottaa joka laskun kohdalla puheeksi, mitä 'muut' veloittavat.",
        "Pyysi aloituspalaverin jälkeen tarjouksen kilpailijaltamme ja haluaa, että alitamme sen.",
        "Divas nedēļas pēc parakstīšanas: ārštata darbinieks no LinkedIn to izdarītu par 60% "
        "lētāk.",
        "Iekopēja čatā konkurējošas aģentūras cenrādi un jautāja, kāpēc mēs esam dārgāki.",
        "Pusceļā saka, ka var aiznest darbu lētākai firmai Krakovā, ja nenolaidīsim cenu par 20%.",
        "Pie katra rēķina piemin, cik prasa 'citi'.",
        "Pēc sākuma sapulces paprasīja piedāvājumu mūsu konkurentam un grib, lai mēs to pārspējam.",
    ],
    "legal_risk": [
        "Wants the invoice issued to his wife's company instead, with a different date.",
        "Wants testimonials on the site from 'customers' he made up himself.",
        "Asked us to hide the subscription's auto-renewal terms in the footer in grey 8px text.",
        "Their former employee is taking them to court and they want us to change the dates on "
        "the old project files.",
        "Azt kérte, hogy az előfizetés automatikus megújítását rejtsük el a láblécben, szürke 8 "
        "pixeles betűkkel.",
        "Egy volt munkatársuk beperelte őket, és azt akarják, hogy írjuk át a régi projektfájlok "
        "dátumait.",
        "Haluaa sivustolle asiakaspalautteita, jotka hän on keksinyt itse.",
        "Pyysi piilottamaan tilauksen automaattisen uusiutumisen ehdot alatunnisteeseen "
        "harmaalla 8 pikselin tekstillä.",
        "Entinen työntekijä vie heidät oikeuteen, ja he haluavat, että muutamme vanhojen "
        "projektitiedostojen päivämäärät.",
        "Grib mājaslapā atsauksmes no 'klientiem', kurus viņš pats izdomājis.",
        "Lūdza abonementa automātiskās atjaunošanas noteikumus paslēpt kājenē ar pelēku 8 "
        "pikseļu tekstu.",
        "Bijušais darbinieks viņus iesūdzējis tiesā, un viņi grib, lai mēs nomainām veco "
        "projekta failu datumus.",
        "Wants the product pages to say the supplement cures anxiety.",
        "Asked us to send the newsletter to everyone who ever bought from them, opt-in or not.",
        "Wants us to register a domain with his competitor's brand name to catch their traffic.",
        "His partner is suing him and he wants us to wipe the shared drive before the hearing.",
        "Asked to put a fake 'as seen on BBC' badge on the homepage.",
        "Azt akarja, hogy a termékoldalon az álljon, hogy a étrend-kiegészítő meggyógyítja a "
        "szorongást.",
        "Mindenkinek ki akarja küldeni a hírlevelet, aki valaha vásárolt náluk, feliratkozás "
        "nélkül is.",
        "Regisztráljunk egy domaint a versenytársa márkanevével, hogy elkapjuk a forgalmukat.",
        "Az üzlettársa beperelte, és azt kéri, hogy töröljük a közös meghajtót a tárgyalás előtt.",
        "Egy hamis 'a BBC-ben is láthatták' jelvényt kér a nyitóoldalra.",
        "Haluaa tuotesivuille, että lisäravinne parantaa ahdistuksen.",
        "Haluaa lähettää uutiskirjeen kaikille, jotka ovat koskaan ostaneet, tilasivat tai eivät.",
        "Pyysi rekisteröimään verkkotunnuksen kilpailijan tuotenimellä, jotta saadaan heidän "
        "liikenteensä.",
        "Hänen yhtiökumppaninsa haastoi hänet oikeuteen ja hän haluaa, että tyhjennämme yhteisen "
        "levyn ennen istuntoa.",
        "Pyysi etusivulle väärennetyn 'nähty BBC:llä' -merkin.",
        "Grib, lai produktu lapās rakstām, ka uztura bagātinātājs izārstē trauksmi.",
        "Grib sūtīt jaunumus visiem, kas jebkad pirkuši, ar piekrišanu vai bez.",
        "Lūdza reģistrēt domēnu ar konkurenta zīmola nosaukumu, lai pārtvertu viņu apmeklētājus.",
        "Viņa biznesa partneris viņu iesūdzēja, un viņš grib, lai izdzēšam kopīgo disku pirms "
        "tiesas sēdes.",
        "Lūdza sākumlapā ielikt viltotu 'redzēts BBC' zīmi.",
    ],
}

#: Everyday notes full of the words these lists are made of (advice, warnings, a lawyer,
#: another agency, cash, invoice dates, "now wants"): none of the five tags.
EVERYDAY = [
    "We recommended a new hosting plan; they agreed and it is live now.",
    "Told them the invoice for October is on its way; they said thanks.",
    "Warned them the site will be offline for an hour on Sunday night for the migration.",
    "He said the price is fine and asked for the contract by Friday.",
    "Their lawyer will join the kickoff call to sign the NDA.",
    "The other agency handles their SEO; we do the design.",
    "Compared our quote with last year's and asked what changed; explained the new pages.",
    "Paid the deposit in cash at the workshop, receipt sent.",
    "Invoice date moved to the 1st at their accountant's request, same amount.",
    "We have a lot of experience with shops like theirs, he was glad to hear it.",
    "He told us how happy the team is with the new booking flow.",
    "Now wants a second landing page for the spring campaign, quote sent.",
    "Javasoltuk az új tárhelyet, elfogadták, most már él.",
    "Szóltunk, hogy vasárnap éjjel egy órára leáll az oldal a költöztetés miatt.",
    "Az ügyvédjük is részt vesz a nyitó megbeszélésen, aláírjuk a titoktartásit.",
    "A másik ügynökség viszi a SEO-t, mi a dizájnt.",
    "Az előleget készpénzben fizette a workshopon, a számlát elküldtük.",
    "Most egy második nyitóoldalt kér a tavaszi kampányhoz, az árajánlat ment.",
    "Elmondta, mennyire elégedett a csapata az új foglalási folyamattal.",
    "Suosittelimme uutta palvelinta, he hyväksyivät ja se on nyt käytössä.",
    "Varoitimme, että sivusto on sunnuntaiyönä tunnin pois käytöstä siirron takia.",
    "Heidän lakimiehensä osallistuu aloituspalaveriin, allekirjoitamme salassapitosopimuksen.",
    "Toinen toimisto hoitaa heidän hakukoneoptimointinsa, me teemme ulkoasun.",
    "Maksoi ennakon käteisellä työpajassa, kuitti lähetetty.",
    "Nyt hän haluaa toisen laskeutumissivun kevätkampanjaan, tarjous lähetetty.",
    "Kertoi, kuinka tyytyväinen tiimi on uuteen varausprosessiin.",
    "Ieteicām jaunu hostingu, viņi piekrita, un tas jau darbojas.",
    "Brīdinājām, ka svētdienas naktī lapa stundu nebūs pieejama pārcelšanas dēļ.",
    "Viņu jurists piedalīsies sākuma sapulcē, parakstīsim konfidencialitātes līgumu.",
    "Cita aģentūra rūpējas par viņu SEO, mēs darām dizainu.",
    "Avansu samaksāja skaidrā naudā darbnīcā, čeks nosūtīts.",
    "Tagad grib otru galveno lapu pavasara kampaņai, piedāvājums nosūtīts.",
    "Pastāstīja, cik komanda apmierināta ar jauno rezervēšanas procesu.",
    "The students could build their own pages in our workshop.",
    "We suggested a newsletter; they declined for now.",
    "We recommended skipping the pop-up on mobile, they agreed.",
    "Asked us to add the cookie banner and remove the old tracking script.",
    "The invoice has a different due date than the order, fixed it.",
    "We advised a soft launch; they refused politely and launched fully, all went well.",
    "Another studio built their old site for less, but it broke all the time, so they came to us.",
    "He says the price we agreed includes printing, and it does.",
    "A régi honlapjukat egy másik stúdió készítette olcsóbban, de folyton leállt.",
    "Vanhan verkkokaupan teki toinen toimisto halvemmalla, mutta se kaatuili jatkuvasti.",
    "Veco mājaslapu lētāk izveidoja cita studija, bet tā visu laiku avarēja.",
    "Their CFO said our estimate was higher than they hoped, but fair; signed today.",
    "He laughed at his own typo in the brief and sent a corrected version.",
    "Told us he has no idea yet when the photos will be ready.",
    "Asked who designed the old logo; we said their previous agency did.",
    "Students from their school will test the app in the workshop next week.",
    "Their old website was built by another studio; we are replacing it.",
    "He wants the same price as last year for the retainer, which is what we offered.",
    "Our lawyer and theirs signed the NDA together at the kickoff.",
    "The cookie banner is live and the consent log works.",
    "We warned them the launch could slip a day if the photos come late; they were fine with that.",
    "He insisted on paying the whole invoice upfront.",
    "Supposedly the printer is closed on Monday, so we deliver Tuesday.",
    "Their competitor launched a cheaper product, so they want a campaign about quality.",
    "We recommended testing on Safari; they asked for a quote, approved it.",
    "He changed his mind about the colours twice, billed hourly as agreed.",
    "Szerinte fogalma sincs még, mikor lesznek kész a fotók.",
    "A régi honlapjukat egy másik ügynökség csinálta, most cseréljük.",
    "Ugyanazt az árat kéri, mint tavaly, és ennyit is ajánlottunk.",
    "Jeleztük, hogy a fotók késése miatt csúszhat egy napot az indulás, rendben volt nekik.",
    "Hänellä ei ole vielä hajuakaan, milloin kuvat valmistuvat.",
    "Heidän vanhan sivustonsa teki toinen toimisto, me uusimme sen.",
    "Varoitimme, että julkaisu voi siirtyä päivällä, jos kuvat myöhästyvät; se sopi heille.",
    "Hinta on sama kuin viime vuonna, kuten tarjosimme.",
    "Viņam vēl nav ne jausmas, kad bildes būs gatavas.",
    "Viņu veco mājaslapu taisīja cita aģentūra, mēs to nomainām.",
    "Brīdinājām, ka palaišana var aizkavēties par dienu, ja bildes kavēsies; viņiem tas derēja.",
    "Cena tāda pati kā pērn, kā mēs piedāvājām.",
]

#: Notes an owner would count that words alone do not catch yet: advice and its outcome
#: told as a story longer than the list's window (twenty words and more apart); a claim
#: about what was agreed told to a third party with no word of denial; the rival named
#: only by its brand and pushing a deadline, not a price; an English note whose invoice
#: and its false date stand too far apart. When one starts to raise its tag, move it to
#: RAISES.
BEYOND_THE_LISTS = {
    "ignores_advice": [
        "We strongly advised a staged rollout. They pushed everything live on Friday; by "
        "Saturday the app was down and now they want weekend support for free.",
        "He refused the backup plan we proposed because it cost 30 euros a month. The server "
        "died, the data is gone, and he expects us to rebuild it.",
        "Nem kérte a mentési csomagot, amit ajánlottunk, mert havi 30 euró. Meghalt a szerver, "
        "elvesztek az adatok, és most tőlünk várja az újraépítést.",
        "Suosittelimme vahvasti vaiheittaista julkaisua. He julkaisivat kaiken perjantaina, "
        "lauantaina sovellus oli alhaalla, ja nyt he haluavat ilmaista viikonlopputukea.",
        "Hän ei ottanut ehdottamaamme varmuuskopiota, koska se maksoi 30 euroa kuussa. Palvelin "
        "hajosi, tiedot menivät, ja nyt hän odottaa, että rakennamme kaiken uudelleen.",
        "Kehittäjämme kertoi, että lisäosa on vanhentunut. He pitivät sen, heidät hakkeroitiin, "
        "ja nyt se on muka meidän tietoturvaongelmamme.",
        "Mēs stingri ieteicām pakāpenisku palaišanu. Viņi visu palaida piektdienā, sestdien "
        "lietotne nestrādāja, un tagad viņi grib bezmaksas nedēļas nogales atbalstu.",
        "Viņš atteicās no mūsu piedāvātās rezerves kopijas, jo tā maksāja 30 eiro mēnesī. "
        "Serveris nomira, dati pazuda, un tagad viņš gaida, ka mēs visu atjaunosim.",
    ],
    "dishonest": [
        "Told their accountant we agreed to net-90 payment. We agreed net-30, it's in writing.",
        "A könyvelőjüknek azt mondta, 90 napos fizetésben egyeztünk meg. 30 napban, írásban.",
        "Grāmatvedim pateica, ka vienojāmies par 90 dienu apmaksu. Vienojāmies par 30, rakstiski.",
    ],
    "plays_competitors": [
        "'XYZ Digital can deliver in two weeks', so he wants us to halve our timeline too.",
    ],
}


def _cases(bank: dict, more: dict, group: str = "more") -> list:
    cases = [
        pytest.param(tag, body, id=f"{tag}-{language}-{index}")
        for tag, languages in bank.items()
        for language, bodies in languages.items()
        for index, body in enumerate(bodies)
    ]
    cases += [
        pytest.param(tag, body, id=f"{tag}-{group}-{index}")
        for tag, bodies in more.items()
        for index, body in enumerate(bodies)
    ]
    return cases


@pytest.fixture(scope="module")
def tags_by_note() -> dict[str, list[str]]:
    """Evaluate every note of the bank as the only note of its own client, in one run."""
    ruleset = RulesetLibrary([RULESETS], metric_units({})).load("freelancer")
    bodies = [
        body
        for bank in (RAISES, QUIET)
        for langs in bank.values()
        for notes in langs.values()
        for body in notes
    ]
    bodies += [
        body
        for more in (RAISES_TOO, RAISES_PROBED, QUIET_TOO, BEYOND_THE_LISTS)
        for notes in more.values()
        for body in notes
    ]
    bodies += EVERYDAY
    clients = [
        client(f"c-{index}", notes=[note("2026-11-10 10:00", body)])
        for index, body in enumerate(bodies)
    ]
    results = evaluate(clients, ruleset, SETTINGS, AS_OF, NOW).results
    tags = {result.client.id: result.tags for result in results}
    return {body: tags[f"c-{index}"] for index, body in enumerate(bodies)}


@pytest.mark.parametrize(
    "tag, body", _cases(RAISES, RAISES_TOO) + _cases({}, RAISES_PROBED, "probed")
)
def test_an_owner_note_of_the_behaviour_raises_its_tag(tags_by_note, tag, body):
    assert tag in tags_by_note[body], f"{tag} not raised by {body!r}"


@pytest.mark.parametrize("tag, body", _cases(QUIET, QUIET_TOO))
def test_a_note_that_only_looks_like_it_does_not(tags_by_note, tag, body):
    assert tag not in tags_by_note[body], f"{tag} raised by {body!r}"


@pytest.mark.parametrize(
    "tag, body", [(tag, body) for tag, notes in BEYOND_THE_LISTS.items() for body in notes]
)
def test_what_words_cannot_tell_yet_stays_listed(tags_by_note, tag, body):
    assert tag not in tags_by_note[body], f"{body!r} now raises {tag}: move it to RAISES"


# ----- a + term's parts in neighbouring sentences: the list key `sentences` -----------------


def _words(text: str, term: str, sentences: int = 1) -> list[str]:
    matcher = TermMatcher([TermList("t", terms={"en": (term,)}, window=10, sentences=sentences)])
    return [match.words for match in matcher.find(text).get("t", [])]


def test_parts_may_stand_in_neighbouring_sentences_when_the_list_says_so():
    note = "I told her the plugin was unsafe. She installed it anyway."
    assert _words(note, "told + anyway") == []
    assert _words(note, "told + anyway", sentences=2) == [
        "told her the plugin was unsafe. She installed it anyway"
    ]


def test_parts_two_sentences_apart_need_three():
    note = "We warned them. They said nothing. They did it anyway."
    assert _words(note, "warned + anyway", sentences=2) == []
    assert _words(note, "warned + anyway", sentences=3) == [
        "warned them. They said nothing. They did it anyway"
    ]


def test_neighbouring_sentences_still_keep_the_window():
    note = "We warned them at the start. Then came a long quiet month of work and waiting anyway."
    assert _words(note, "warned + anyway", sentences=2) == []
    assert _words("We warned them. Anyway.", "warned + anyway", sentences=2) != []


def test_a_ruleset_list_sets_its_sentences(tmp_path):
    text = """\
    name: across
    terms:
      advice:
        en: [warned + anyway]
        sentences: 2
    rules:
      - {id: advice, tag: ignores_advice, when: text_advice >= 1}
    """
    ruleset = library(tmp_path, across=text).load("across")
    assert ruleset.terms["advice"].sentences == 2
    assert "advice" in ruleset.term_matcher().find("We warned him. He did it anyway.")


@pytest.mark.parametrize("value", [0, 4, "two", True])
def test_a_wrong_sentences_value_names_the_file_and_line(tmp_path, value):
    error = load_error(tmp_path, f"terms: {{t: {{en: [x], sentences: {value}}}}}\n")
    assert "bad.yaml:1: sentences of term list 't': sentences is a whole number from 1 to 3" in (
        error
    )


@pytest.mark.parametrize("body", EVERYDAY)
def test_an_everyday_note_raises_none_of_the_five(tags_by_note, body):
    assert not set(tags_by_note[body]) & set(RAISES), tags_by_note[body]
