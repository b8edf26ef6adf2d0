"""Owners write abuse, a dreading team and their own unease in many ways: each must count.

A paraphrase bank for three tags of the shipped ``freelancer`` ruleset, in English,
Hungarian, Finnish and Latvian, written from the source articles (001 §3, §6, §7;
003 §1; 000) and from how owners write CRM notes: terse shorthand, long emotional
notes, quoted speech, past and present tense, inflected forms, no accents, typos.
None of them is copied from a judgement set: they stand for families of wording.

- ``abusive``: insults and name-calling, shouting, threats without the word "threat"
  (ruin your reputation, you'll regret it, I know where you live), and harassment as
  behaviour (remarks on looks or body, invitations to a hotel room, unwanted touching);
  one such note alone makes at least ``warning``.
- ``demoralizes_team``: the team dreads the client, avoids them, wants off the project.
- ``gut_feeling``: the owner's own unease about the client.

Each note is one client's only note. ``MUST`` notes raise the tag; ``MUST_NOT`` notes
(negated, a third party's words, harmless context, praise with the same words) do not.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.rules.ruleset import RulesetLibrary
from crmflags.settings import Settings

from conftest import client, day, note

RULESETS = Path(__file__).parent.parent / "rulesets"
AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 23, 59, 59)
BUDAPEST = ZoneInfo("Europe/Budapest")
LEVELS = ("ok", "watch", "warning", "fire")

MUST = {
    "abusive": {
        "en": [
            # insults and name-calling
            "Called Mark a f***ing moron on the call.",
            "Told our designer her work is worthless and she is a waste of space.",
            "Screamed down the phone that we are a bunch of crooks and thieves.",
            "He told my assistant to shut her mouth.",
            "Sent Lisa a message calling her fat and ugly after she pushed back on the date.",
            "swore at me the whole call, f-word every other sentence",
            # shouting
            "client lost it on the phone, screaming at Kati for 20 min",
            "He raised his voice at our junior and slammed the door on his way out.",
            "Lost his temper in the review and threw the printouts at our designer.",
            "he was screeming at anna again, had to end the call",
            # threats without the word
            "Said if we're late he'll make sure we never work in this industry again.",
            "'I know where your office is,' he said at the end of the call.",
            "Hinted he'd trash our name all over LinkedIn if we don't refund.",
            "Do it by Monday or you'll be sorry - direct quote from his email.",
            "Says he has friends who can make life very difficult for us.",
            "Told me to watch myself when I mentioned the overdue invoice.",
            "Wrote that he will leave one-star reviews everywhere unless we give the money back.",
            # harassment as behaviour
            "Keeps commenting on Anna's body and what she wears to meetings.",
            "Invited our account manager up to his hotel room after the dinner.",
            "He put his hand on her knee under the table at the lunch.",
            "Kept texting Lisa late at night asking what she's wearing.",
            "Calls me darling and good girl in every meeting.",
            "Asked our intern twice if she has a boyfriend.",
            "Made a comment about Kati's chest, she left the room.",
            "He grabbed Anna's arm when she tried to leave the meeting.",
            "Said it'd be a shame if something happened to our office, then laughed.",
            "Told Sam to think about his career before sending another invoice.",
            "Said he'll get her fired if the mockups slip again.",
            "Email full of swearing and expletives after the invoice.",
            "Says nobody will ever hire us again once he's done talking.",
            "Keeps asking Priya out for drinks although she said no.",
            "He told Kate she's useless and should find another job.",
            "Told Lisa she'd look better if she smiled more.",
            "Says he knows my address and will drop by to discuss the invoice.",
            "Absolutely livid on the phone, called me a clown and hung up.",
            "Told us he will post our home addresses online.",
            "Put his arm around Anna and wouldn't let go.",
            "Repeatedly messages our designer about her dating life.",
            "Sends our intern suggestive messages after hours.",
            'Called our developer "a useless piece of garbage".',
            "Told Kim she only got the job because she's pretty.",
            "Cornered Lisa in the kitchen and tried to hug her.",
            "Sent a voice message full of insults at 2am.",
        ],
        "hu": [
            # sértés, szidás
            "Primitív barmoknak nevezett minket a telefonban.",
            "Trágár szavakkal szidta a kollégámat.",
            "Szemét csalóknak nevezett minket, mert késett a számla.",
            "Azt mondta a csapatunkra, hogy nyomorult senkik vagyunk.",
            "Rászólt Katira, hogy kussoljon.",
            # kiabálás
            "Telefonon ordibált velem, hogy semmire sem vagyunk jók.",
            "Üvöltözött, csapkodott, aztán lecsapta a telefont.",
            "Dühöngött a megbeszélésen, ráordított Péterre.",
            "Uvoltozott velem a telefonban, hulyenek nevezett.",
            "Felemelte a hangját és az asztalra csapott.",
            # fenyegetés a szó nélkül
            "Azt mondta, gondoskodik róla, hogy soha többé ne kapjunk munkát a szakmában.",
            "Ordította, hogy tudja, hol lakom.",
            "Azt üzente: ezt még megemlegetitek.",
            "Azt írta, megkeseríti az életünket, ha nem engedünk az árból.",
            "Mindenhol lejárat minket, ha nem adjuk vissza a pénzt - ezt mondta.",
            "Megígérte, hogy elintéz minket.",
            "Szerinte jobb, ha vigyázunk magunkra.",
            # zaklatás
            "Megfogta Kati derekát a céges vacsorán.",
            "Felhívta a kolléganőnket a szállodai szobájába a konferencia után.",
            "Megjegyzéseket tesz a kolléganőm alakjára és a ruháira.",
            "Folyton azt kérdezgeti Annától, van-e barátja.",
            "Tapizta a kolléganőmet a céges bulin.",
            "Éjjel üzenget a grafikusunknak, hogy milyen csinos.",
            "Azt mondta, a nők ne vezessenek IT-projektet.",
            "Azt mondta, kár lenne, ha az irodátokkal történne valami.",
            "Közölte, hogy a karrierednek vége, ha nem engedsz az árból.",
            "Azt mondta, kirúgatja Katit a főnökével.",
            "Azt mondta, betöri a fejét a programozónknak.",
            "Csinos kislánynak nevezte a projektvezetőnket.",
            "Megint megjegyzést tett Réka külsejére a bemutatón.",
            "Azt mondta, ha nem fizetjük vissza, megkeresi a lakásomat.",
            "Tapogatta Annát a liftben.",
            "Azt írta, hogy majd meglátjuk, ki nevet a végén.",
            "Szexuális tartalmú üzeneteket küldött Katinak.",
            "Ezt még megfizetitek - ezzel tette le a telefont.",
            'Azt mondta a grafikusunknak, hogy "ilyen csinos lánynak nem kell értenie a színekhez".',
        ],
        "fi": [
            # solvaaminen
            "Kutsui meitä idiooteiksi koko tiimin edessä.",
            "Haukkui suunnittelijamme lyttyyn palaverissa.",
            "Nimitteli meitä ääliöiksi ja luusereiksi.",
            "Vittuili koko palaverin ajan.",
            "Huusi ja solvasi meita, aaliot ja idiootit.",
            # huutaminen
            "Huusi puhelimessa Annalle kymmenen minuuttia.",
            "Raivosi ja paiskoi ovia palaverissa.",
            "Karjui puhelimeen kuin hullu.",
            "Korotti ääntään ja löi nyrkin pöytään.",
            # uhkaukset ilman sanaa
            "Sanoi, että tiedän missä asut.",
            "Sanoi, että kadutte vielä tätä.",
            "Lupasi pilata maineemme somessa, jos emme palauta rahoja.",
            "Aikoo mustamaalata meidät kaikille tutuilleen.",
            "Sanoi, että meidän kannattaa katsoa selän taakse.",
            "Lupasi tehdä elämästämme helvettiä.",
            "Sanoi pitävänsä huolen, ettemme saa enää töitä alalla.",
            # häirintä
            "Kommentoi jatkuvasti assistenttimme vartaloa.",
            "Kutsui projektipäällikkömme hotellihuoneeseensa illallisen jälkeen.",
            "Kosketteli Annaa pikkujouluissa vastentahtoisesti.",
            "Kysyi harjoittelijaltamme, onko tällä poikaystävää.",
            "Sanoi, ettei nainen osaa koodata.",
            "Laittoi kätensä suunnittelijamme polvelle palaverissa.",
            "Lähetteli Liisalle öisin viestejä tämän ulkonäöstä.",
            "Sanoi, että olisi harmi, jos perheellenne sattuisi jotain.",
            "Lupasi, että urasi on ohi tällä alalla.",
            "Lähetti kirosanoja täynnä olevan sähköpostin.",
            "Kommentoi taas Sannin ulkonäköä palaverissa.",
            "Pyysi Liisaa drinkille kahden kesken.",
            "Sanoi harjoittelijalle, että tämän pitäisi hymyillä enemmän.",
            "Uhkasi, että saatte vielä nähdä.",
            "Sanoi, että te tulette maksamaan tästä.",
            "Lähetti harjoittelijalle seksuaalisia viestejä.",
            "Kävi käsiksi suunnittelijaamme pikkujouluissa.",
            "Sanoi suunnittelijallemme, että tämä on liian kaunis ollakseen fiksu.",
        ],
        "lv": [
            # apvainojumi
            "Nosauca mūs par idiotiem visu priekšā.",
            "Sauca mūs par nekam nederīgiem muļķiem.",
            "Apsaukāja mūsu programmētāju par debilu.",
            "Uzkliedza manai asistentei un nosauca viņu par stulbeni.",
            # kliegšana
            "Kliedza uz mūsu dizaineri pa telefonu.",
            "Bļāva kā traks un nolamāja Jāni.",
            "Kliedza uz mani un lamajas ka traks.",
            "Sita ar dūri pa galdu un kliedza.",
            "Pacēla balsi uz mūsu praktikanti un aizcirta durvis.",
            # draudi bez vārda
            "Teica: es zinu, kur tu dzīvo.",
            "Viņš teica, ka mēs to vēl nožēlosim.",
            "Solīja iznīcināt mūs sociālajos tīklos, ja neatdosim naudu.",
            "Teica, ka parūpēsies, lai mēs vairs nedabūtu nevienu pasūtījumu.",
            "Teica, lai mēs uzmanāmies, jo viņam ir draugi.",
            "Rakstīja, ka sabojās mūsu vārdu visā nozarē.",
            "Teica, ka mums vairs nekad nebūs darba šajā nozarē.",
            # uzmākšanās
            "Izteica piezīmes par manas kolēģes augumu.",
            "Aicināja mūsu asistenti uz savu viesnīcas numuru.",
            "Jautāja praktikantei, vai viņai ir puisis.",
            "Teica, ka sievietēm nav vietas programmēšanā.",
            "Uzlika roku uz manas kolēģes ceļgala sapulcē.",
            "Naktī sūta mūsu dizainerei ziņas par to, cik viņa ir skaista.",
            "Aptaustīja mūsu kolēģi ballītē.",
            "Teica, ka būtu žēl, ja ar jums kaut kas notiktu.",
            "Teica, ka tava karjera šajā pilsētā beigsies.",
            "E-pasts bija pilns ar necenzētiem vārdiem.",
            "Viņš teica manai kolēģei, ka viņai vajadzētu vairāk smaidīt.",
            "Pieskārās manai kolēģei bez atļaujas.",
            "Teica, ka mēs par to vēl samaksāsim.",
            "Sūtīja mūsu dizainerei divdomīgas ziņas naktī.",
            "Izteicās rupji par mūsu dizaineres augumu.",
            "Aicināja Lieni vakariņās, lai gan viņa atteicās.",
        ],
    },
    "demoralizes_team": {
        "en": [
            "Team groans every time his name pops up in Slack.",
            "Nobody wants to pick up his tickets anymore.",
            "Designers are drawing straws over who has to take her call.",
            "Pia asked to be moved to another account because of him.",
            "Our dev says he's done with this client and wants off the project.",
            "Everybody's dreading Thursday's review.",
            "Whole team is miserable on this project.",
            "Tom almost quit over this client last month.",
            "Sara was in tears after his call again.",
            "Morale on the team has tanked since we took them on.",
            "Devs call him the client from hell and avoid his emails.",
            "Zoltan says he can't face another meeting with her.",
            "Kati begged me not to put her on their project again.",
            "The guys hate picking up his calls.",
            "team hates this acct",
            "Two people asked not to be staffed on their account.",
            "Our designer says working with them is soul-destroying.",
            "Team exhausted and demotivated after every workshop with them.",
            "The team is tired of him.",
            "Our developers say they'll quit if we keep this client.",
            "Staff morale is in the gutter since they came on board.",
            "Team meeting: everyone asked if we could drop this client.",
            "Anna said she's close to burnout because of this account.",
            "Two of our devs refuse to join their calls.",
            "The atmosphere in the office gets tense whenever they call.",
            "Team spirit has suffered a lot since we took them on.",
            "Our PM said she'd rather resign than do another sprint with them.",
            "Morale took a nosedive after their last visit.",
            "The devs have started calling in sick on their review days.",
        ],
        "hu": [
            "Senki sem akarja elvállalni a hétfői hívást vele.",
            "A fejlesztők húzzák a szájukat, ha az ő nevét hallják.",
            "Kati könyörgött, hogy ne őt tegyem erre a projektre.",
            "A srácok utálják a hívásait.",
            "A csapat kedve a béka segge alatt van miatta.",
            "Péter majdnem felmondott miatta.",
            "A csapat nem bírja tovább vele.",
            "Senki nem veszi fel szívesen a telefont, ha ő hív.",
            "A grafikusunk sírva jött ki a megbeszélésről.",
            "Frusztrált és demotivált a csapat miatta.",
            "Rossz a hangulat a csapatban, amióta velük dolgozunk.",
            "A kollégák félnek a meetingjeitől.",
            "A csapat nem szívesen dolgozik vele.",
            "Senki sem akar vele dolgozni, mindenki kerüli.",
            "Zsófi azt mondta, ha még egyszer vele kell dolgoznia, felmond.",
            "Kérte, hogy tegyem át egy másik ügyfélhez, mert nem bírja vele.",
            "A csapat már nem bírja ezt az ügyfelet.",
            "A kollégák kérték, hogy mondjuk fel a szerződést velük.",
            "Senkinek nincs kedve velük dolgozni.",
            "A fejlesztők azt kérték, hogy ne ők vigyék tovább a projektet.",
            "Mindenki fél a következő meetingtől velük.",
            "A csapat teljesen kiborult a legutóbbi hívás után.",
            "Péter azt mondta, inkább felmond, mint hogy velük dolgozzon.",
            "Elegünk van belőle, mondta Zsófi a megbeszélés után.",
        ],
        "fi": [
            "Kukaan ei halua ottaa heidän tikettejään.",
            "Tiimi huokailee aina, kun hänen nimensä näkyy kalenterissa.",
            "Mikko meinasi irtisanoutua tämän asiakkaan takia.",
            "Tiimin mieliala on maassa.",
            "Kaikki välttelevät hänen puhelujaan.",
            "Koodarit pelkäävät jokaista palaveria hänen kanssaan.",
            "Tiimi on aivan loppu tämän projektin jälkeen.",
            "Kaikki inhoavat heidän viikkopalaveriaan.",
            "Anna itki palaverin jälkeen.",
            "Kukaan ei jaksa enää heidän jatkuvia muutoksiaan.",
            "Tiimi on turhautunut ja motivaatio on nollassa.",
            "Työilmapiiri on kärsinyt heidän takiaan.",
            "Ville pyysi siirtoa toiseen projektiin tämän asiakkaan takia.",
            "Tiimi pelkaa hanen puhelujaan.",
            "Kenelläkään ei ole enää motivaatiota tehdä heidän projektiaan.",
            "Suunnittelijamme sanoi, ettei halua enää tehdä heidän kanssaan mitään.",
            "Tiimi on saanut tarpeekseen tästä asiakkaasta.",
            "Kukaan ei enää jaksa heidän palavereitaan.",
            "Koodarit ovat ihan loppu tämän asiakkaan kanssa.",
            "Tiimi on aivan kyllästynyt tähän asiakkaaseen.",
        ],
        "lv": [
            "Neviens komandā negrib ņemt viņu projektu.",
            "Komanda ienīst viņa zvanus.",
            "Pēc katras sapulces ar viņu dizainere raud.",
            "Programmētājs lūdza viņu vairs nelikt uz šo projektu.",
            "Komandas noskaņojums ir pie zemes šī klienta dēļ.",
            "Visi izvairās no viņa zvaniem.",
            "Jānis gandrīz aizgāja no darba šī klienta dēļ.",
            "Komanda ir pilnīgi izsmelta pēc viņu projekta.",
            "Darbinieki baidās no viņas sapulcēm.",
            "Motivācija komandā ir nulle.",
            "Nevienam nav vēlēšanās strādāt ar šo klientu.",
            "Atmosfēra birojā ir sabojāta, kopš sākām ar viņiem strādāt.",
            "Komanda baidas no vina zvaniem.",
            "Dizainere lūdza pārcelt viņu uz citu projektu šī klienta dēļ.",
            "Komandai ir apnicis strādāt ar viņu.",
            "Komanda ir demotivēta un nogurusi.",
            "Darbinieki lūdz pārtraukt sadarbību ar šo klientu.",
            "Pēc sapulcēm ar viņiem visi ir nomākti.",
            "Komandai viņš ir apnicis līdz kaklam.",
        ],
    },
    "gut_feeling": {
        "en": [
            "Not sure about this one. Something's not sitting right with me.",
            "Gut says no.",
            "Bit of a weird vibe on the intro call.",
            "I can't shake the feeling they won't pay.",
            "Smells fishy: wants everything paid in cash.",
            "My spidey sense is tingling with this one.",
            "There's something about him I don't like, hard to say what.",
            "Too many red flags for my taste.",
            "Uneasy about signing the second phase.",
            "Honestly, I'm having doubts about this client.",
            "I regret saying yes to this project.",
            "It all feels wrong, don't want to take the next phase.",
            "I'm suspicious of their sudden rush to sign.",
            "Something doesn't smell right about the payment terms.",
            "I've got a sinking feeling about this one.",
            "Hunch: they will try to wriggle out of paying.",
            "Alarm bells ringing after the call.",
            "not my kind of client, doesnt feel right",
            "This one worries me.",
            "I don't like how they talk about our invoices.",
            "I have a really bad feeling about the renewal.",
            "Not convinced they're being straight with us.",
            "Feels like they're hiding something.",
        ],
        "hu": [
            "Valahogy nem tetszik ez az egész.",
            "Rossz érzésem van vele kapcsolatban.",
            "Gyanús nekem ez a nagy sietség.",
            "Nem tudom miért, de nem bízom benne.",
            "Az egész olyan furcsa, valami nem kerek.",
            "A zsigereim azt súgják, hogy ebből baj lesz.",
            "Kételyeim vannak ezzel a projekttel.",
            "Bűzlik az egész.",
            "Nem jó ómen, hogy már az elején alkudozik.",
            "Nyugtalanít ez az ügyfél.",
            "Rossz erzesem van, valami nem stimmel.",
            "Megbántam, hogy elvállaltam.",
            "Nem érzem jónak ezt az együttműködést.",
            "Az ösztönöm azt mondja, hagyjuk.",
            "Fura egy alak, nem tudom hova tenni.",
            "Valami nem tiszta ezzel az ügyféllel.",
            "Nem vagyok nyugodt ezzel az ügyféllel kapcsolatban.",
            "Nem érzem, hogy őszinték lennének velünk.",
            "Gyanakszom, hogy nem fognak fizetni.",
            "Az az érzésem, hogy valamit titkolnak.",
            "Rossz érzés fog el, amikor velük beszélek.",
        ],
        "fi": [
            "Jotenkin huono fiilis tästä asiakkaasta.",
            "Jokin tässä hiertää.",
            "Outo tunne vatsanpohjassa palaverin jälkeen.",
            "En ole varma tästä asiakkaasta.",
            "Epäilen, etteivät he maksa ajallaan.",
            "Kummallinen tyyppi, en tiedä mitä ajatella.",
            "Hälytyskellot soivat ensimmäisessä palaverissa.",
            "Hämärä tyyppi.",
            "Tuntuu, että jotain on pielessä.",
            "Kaduttaa, että otin heidät asiakkaaksi.",
            "Huono tunne, jokin mattaa.",
            "Intuitio sanoo, että kannattaa lopettaa.",
            "Ei tunnu hyvältä tämä yhteistyö.",
            "Epäluuloinen olo heidän suhteensa.",
            "Outo olo palaverin jälkeen.",
            "Epäröin ottaa heiltä seuraavaa projektia.",
            "Jokin ei tässä asiakkaassa täsmää.",
            "Tuntuu, että he salaavat jotain.",
        ],
        "lv": [
            "Man ir dīvaina sajūta par šo klientu.",
            "Kaut kas te nav tīrs.",
            "Nepatīk man šis klients, grūti pateikt kāpēc.",
            "Intuīcija saka nē.",
            "Šaubos, vai viņi samaksās.",
            "Nojauta, ka būs problēmas.",
            "Kaut kas nav kārtībā ar viņu naudas lietām.",
            "Nemierīgi jūtos pēc sapulces.",
            "Nav labas sajūtas par šo projektu.",
            "Aizdomīgi steidzas parakstīt.",
            "Slikta sajuta par so klientu.",
            "Neuzticos viņiem ne par centu.",
            "Iekšējā balss saka, ka jāatsakās.",
            "Nožēloju, ka paņēmu šo projektu.",
            "Smird pēc nepatikšanām.",
            "Kaut kas nesakrīt viņu stāstā.",
            "Man ir aizdomas par šo klientu.",
            "Nepatīk man, kā viņi runā par naudu.",
            "Kaut kas man nepatīk šajā klientā.",
            "Man šķiet, ka viņi kaut ko slēpj.",
            "Nav man laba sajūta par viņiem.",
        ],
    },
}

MUST_NOT = {
    "abusive": {
        "en": [
            "He never raised his voice, even when the launch slipped.",
            "Their previous agency used to scream at them, he says.",
            "Complimented Anna on the presentation, very polite.",
            "He said he'd be sorry to lose us as a supplier.",
            "The hotel room block for the conference is booked.",
            "One of their customers shouted at their support desk, so they want a calmer chatbot tone.",
            "Said the old logo was ugly, fair enough, we agree.",
            "Not abusive at all, just very direct.",
            "Chose the outfit for the photo shoot with her stylist.",
            "We know where the office is, the meeting is on site.",
            "Accidents happen, we fixed the typo the same day.",
            "The team is fired up about the launch!",
            "Photos from the swearing-in ceremony are retouched.",
            "They asked for a sexual health campaign, first drafts sent.",
            "Nobody will hire a big agency for a job this small, he says.",
        ],
        "hu": [
            "Egyszer sem emelte fel a hangját, pedig csúszott az átadás.",
            "Az előző ügynökségük folyton üvöltözött velük, ezért váltottak.",
            "Megdicsérte Kati prezentációját, nagyon udvarias volt.",
            "A lejárat dátumát módosítottuk a szerződésben.",
            "A hotelszobák foglalása a konferenciára kész.",
            "A vevőjük fenyegette meg őket perrel, ezért kell az új ÁSZF.",
            "Megjegyzést tett a weboldal külsejére, jogosan.",
            "Nem kiabált, nyugodtan megbeszéltük.",
            "Elintéztük a számlát, minden rendben.",
            "Kár lenne, ha csúszna a határidő.",
            "Betörés a fejlesztői szerverre, jelentettük a rendőrségnek.",
            "Megdicsérte a weboldal külsejét, és megjegyzést tett a logó kinézetére.",
            "Szexuális egészség kampányra kértek tőlünk ajánlatot.",
        ],
        "fi": [
            "Ei korottanut ääntään kertaakaan, vaikka myöhästyimme.",
            "Heidän edellinen toimittajansa huusi heille, siksi he vaihtoivat meihin.",
            "Asiakas huusi ilosta, kun näki logon.",
            "Varasimme hotellihuoneet messuja varten.",
            "Hän kiitti assistenttiamme hyvästä esityksestä.",
            "Kuvasimme uuden vaatemalliston, malli vaihtoi vaatteita kolme kertaa.",
            "Ei uhkaillut meitä, vaikka oli pettynyt.",
            "Heidän asiakkaansa kiroili asiakaspalvelussa, joten haluavat uuden chat-botin.",
            "Olisi ikävää, jos aikataulu venyisi.",
            "Seksuaaliterveyskampanjan kuvat ovat valmiit.",
            "Kommentoi sivuston ulkonäköä ja värejä.",
            "Kukaan ei enää tilaa painettuja esitteitä, hän sanoi.",
        ],
        "lv": [
            "Viņš nekliedza un nedraudēja, tikai bija vīlies.",
            "Viņu iepriekšējā aģentūra uz viņiem kliedza, tāpēc viņi mainīja.",
            "Viņš kliedza no prieka, kad redzēja logo.",
            "Rezervējām viesnīcas numurus konferencei.",
            "Uzslavēja mūsu dizaineri par lielisku darbu.",
            "Klientam patīk mājaslapas izskats.",
            "Nekad nav pacēlis balsi.",
            "Viņu klients draudēja ar tiesu, tāpēc vajag jaunu līgumu.",
            "Sapulce ar jums notiks rīt plkst. desmitos.",
            "Karjeras lapa mājaslapā ir gatava.",
        ],
    },
    "demoralizes_team": {
        "en": [
            "The team loves working with them, best client this year.",
            "Nobody was late for the kickoff.",
            "Team morale is great since the new office.",
            "No one dreads these calls anymore, he has calmed down a lot.",
            "Their customers dread the old checkout, so we redesign it.",
            "Tom moved to the Acme project because it fits his skills.",
            "We don't dread his calls at all, he is lovely.",
            "Burnout is the topic of their new HR campaign we're designing.",
            "He asked us to quote another project for their sister company.",
            "The team worked through the edge cases on Friday.",
            "Team morale is high and costs are down.",
            "The client is tired of working with spreadsheets, hence the new CRM.",
            "The team presented the results and the client was unhappy with the colours.",
            "The atmosphere in the photos is heavy, the client wants it lighter.",
            "Nobody from their side joined the call, we rescheduled.",
        ],
        "hu": [
            "A csapat szívesen dolgozik velük.",
            "Senki sem késett a megbeszélésről.",
            "A csapat hangulata remek, mióta elindult a projekt.",
            "Már nem retteg tőle a csapat, sokat javult.",
            "A kiégésről szóló cikksorozatukat terveztük.",
            "Péter átkerült a másik projektre, mert ott kell a tudása.",
            "Nem félünk tőle, a hívások nyugodtak.",
            "A csapat javasolta, hogy mondjuk fel a régi tárhely szerződést.",
            "Az ügyfelei félnek az új rendszertől, ezért kell az oktatóvideó.",
        ],
        "fi": [
            "Tiimi tykkää työskennellä heidän kanssaan.",
            "Kukaan ei ollut myöhässä.",
            "Tiimin mieliala on korkealla uuden projektin myötä.",
            "Hän pyysi siirtoa palaverille ensi viikkoon.",
            "Heidän asiakkaansa pelkäävät uutta järjestelmää, siksi koulutusvideo.",
            "Itkimme naurusta palaverissa, hauska asiakas.",
            "Ei pelätä hänen puhelujaan enää, hän on rauhoittunut.",
            "Asiakas on saanut tarpeekseen vanhasta järjestelmästään.",
            "Tiimi on innoissaan uudesta projektista.",
        ],
        "lv": [
            "Komandai patīk strādāt ar viņiem.",
            "Neviens nenokavēja sapulci.",
            "Komandas noskaņojums ir lielisks.",
            "Viņš lūdza pārcelt sapulci uz citu dienu.",
            "Raudājām no smiekliem sapulcē, jautrs klients.",
            "Viņu klienti baidās zvanīt uz atbalsta dienestu, tāpēc vajag čatu.",
            "Komanda vairs nebaidās no viņa zvaniem, viss uzlabojies.",
            "Izdegšanas tēma ir viņu jaunajā kampaņā.",
        ],
    },
    "gut_feeling": {
        "en": [
            "Good gut feeling about this one, great call.",
            "No red flags, they pay on time.",
            "The client has doubts about the colour scheme.",
            "Their security team flagged a suspicious login.",
            "I trust them completely.",
            "It feels right, happy to continue.",
            "Their customers have a bad feeling about the old checkout.",
            "Nothing fishy here, all paid on time.",
            "Not sure why the invoice bounced, but we resent it.",
            "Waiting for their texts, but they still want the launch on Friday.",
            "I'd rather not work weekends this month.",
            "I don't like how the blue looks on mobile.",
            "Can't explain why the build fails on their server.",
            "Flagged a suspicious login on their shop, they changed passwords.",
            "The client feels something is off with their old site.",
        ],
        "hu": [
            "Jó érzésem van velük kapcsolatban.",
            "Semmi rossz érzésem nincs velük kapcsolatban.",
            "Gyanús bejelentkezés volt a webshopjukban, jeleztük.",
            "Ösztöndíjas program honlapját készítjük nekik.",
            "Az ügyfélnek kételyei vannak a színvilággal kapcsolatban.",
            "Bízom benne, hogy jövő héten kész lesz.",
            "Nem gyanús semmi, pontosan fizetnek.",
            "Minden stimmel, az ügyfél elégedett.",
            "Nem tetszik, ahogy a logó kinéz mobilon.",
            "Gyanús e-mail érkezett, a spamszűrő kiszűrte.",
        ],
        "fi": [
            "Minulla on hyvä tunne tästä asiakkaasta.",
            "Ei varoitusmerkkejä, maksavat ajallaan.",
            "Hämärä valaistus kuvauksissa, pitää lisätä valoja.",
            "Asiakas epäilee, että logo on liian tumma.",
            "Heidän asiakkaansa epäilevät uutta maksutapaa.",
            "Luotan heihin täysin.",
            "Ei mitään outoa, kaikki sujui hyvin.",
            "Intuitiivinen käyttöliittymä valmis.",
            "Epäilyttävä sähköposti tuli, poistimme sen.",
        ],
        "lv": [
            "Man ir laba sajūta par šo klientu.",
            "Nekādu sarkano karogu, maksā laikā.",
            "Klients šaubās par krāsu izvēli.",
            "Aizdomīga pieteikšanās viņu e-veikalā, ziņojām.",
            "Uzticos viņiem pilnībā.",
            "Intuitīvs interfeiss gatavs.",
            "Nav nekādu šaubu, ka viņi maksās.",
            "Viss ir kārtībā, klients apmierināts.",
            "Man ir aizdomas, ka serveris ir pārslogots.",
            "Nepatīk man, kā izskatās zilā krāsa.",
            "Aizdomīgs e-pasts no nezināma sūtītāja, izdzēsām.",
        ],
    },
}


def _cases(bank):
    for tag, languages in bank.items():
        for language, notes in languages.items():
            for body in notes:
                yield pytest.param(tag, body, id=f"{tag}-{language}-{body[:40]}")


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[list[str], str]]:
    """Evaluate every note of the bank as one client's only note: tags and level by body."""
    ruleset = RulesetLibrary([RULESETS], metric_units({})).load("freelancer")
    settings = Settings(timezone=BUDAPEST, timezone_name="Europe/Budapest")
    bodies = sorted({body for bank in (MUST, MUST_NOT) for _, body in _bodies(bank)})
    clients = [
        client(f"c-{i}", notes=[note("2026-11-10 10:00", body)]) for i, body in enumerate(bodies)
    ]
    evaluation = evaluate(clients, ruleset, settings, AS_OF, NOW)
    by_id = {result.client.id: result for result in evaluation.results}
    return {body: (by_id[f"c-{i}"].tags, by_id[f"c-{i}"].level) for i, body in enumerate(bodies)}


def _bodies(bank):
    for tag, languages in bank.items():
        for notes in languages.values():
            for body in notes:
                yield tag, body


def test_the_bank_covers_every_language_widely():
    for tag in MUST:
        for language in ("en", "hu", "fi", "lv"):
            assert len(MUST[tag][language]) >= 15, (tag, language)
            assert len(MUST_NOT[tag][language]) >= 8, (tag, language)


@pytest.mark.parametrize("tag, body", list(_cases(MUST)))
def test_a_note_describing_the_behaviour_raises_the_tag(results, tag, body):
    tags, level = results[body]
    assert tag in tags, f"{tag} not raised by {body!r} (tags {tags})"
    if tag == "abusive":
        assert LEVELS.index(level) >= LEVELS.index("warning"), f"{body!r} only at {level}"


@pytest.mark.parametrize("tag, body", list(_cases(MUST_NOT)))
def test_negated_reported_or_harmless_words_do_not_raise_the_tag(results, tag, body):
    tags, _ = results[body]
    assert tag not in tags, f"{tag} raised by {body!r}"
