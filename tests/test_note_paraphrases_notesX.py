"""Fresh owner notes for five behaviours, written before the lists were tuned to them.

Three batches by notesX (2026-12-06), each written before it was scored: A (before any
change of the lists), B (after round 1: other trades, staff writing to the owner, quoted
speech, long angry notes, shorthand) and C (after rounds 1-3: one incident a note, as a
judgement-set writer would put it), for ``disrespectful`` (001 §1), ``ignores_advice``
(003 §7), ``dishonest`` (003 §2), ``demoralizes_team`` (001 §6) and ``gut_feeling`` (001
§7) in en/hu/fi/lv. Every note in ``RAISES`` is one client's only note and must give
that client its tag with the shipped ``freelancer`` ruleset; every note in ``QUIET`` must
not (negated, a third party's words, harmless in its context, or praise), nor may an
``EVERYDAY`` note raise any of the five. ``BEYOND_THE_LISTS`` are notes of the batches
that the lists still miss, behaviour told by its consequences (docs/conditions.md, *What
word matching still cannot tell*): an owner would expect the tag, so they are expected
failures, and one that starts to pass shows as XPASS and belongs in ``RAISES``.

Scored when written: A 25% of 200 (then 85% after tuning on it), B 17% of 200 (25%
after rounds 2-4), C 64% of 100 with 14 of 64 quiet notes raised (91% and 0 after its round).
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
SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")
TAGS = ("disrespectful", "ignores_advice", "dishonest", "demoralizes_team", "gut_feeling")
LEVELS = ["ok", "watch", "warning", "fire"]

RAISES = {
    "disrespectful": {
        "en": [
            "Told our designer she should stick to colouring books.",
            "call w/ Tom: constantly cut me off, said 'you're the help, not the brains'",
            "Kept asking if there was 'someone more senior' he could talk to, in front of Zsofi.",
            "Owner of the shop yelled at? no - but he sneered that we 'play with computers for "
            "a living'.",
            "Refers to our developers as 'the typists'. Every time.",
            "She rewrote our copy line by line and sent it back with 'this is how grown-ups "
            "write'.",
            "Told me I obviously don't understand marketing and should leave the thinking to him.",
            "He said our estimate was 'cute' and that real agencies know how long things take.",
            "snide remarks again about 'creative types' not understanding business",
            "Called our proposal lazy and said we clearly copied it from the internet.",
            "In the review he said our layout 'looks like a student project' and that he would "
            "tell us how to fix it.",
            "Told our developer to 'just type what I say, you're not here to have opinions'.",
            "Overruled our designer on every point and then explained typography to her as if "
            "she'd never heard of it.",
            "Keeps saying his teenage son knows more about websites than our whole team.",
            "Rolled her eyes at our estimate and said any serious company would do it in a week.",
        ],
        "hu": [
            "Azt mondta a grafikusunknak, hogy maradjon a színezőknél.",
            "Megint leszólt minket a meetingen: szerinte ez nem is igazi munka, csak játszunk "
            "a gépen.",
            "tel.: folyton közbevágott, a végén azt mondta, hogy ne okoskodjak",
            "Kijelentette, hogy a programozóink nem tudják, mit csinálnak.",
            "Mindig megkérdezi, van-e nálunk valaki, aki tényleg ért a dologhoz.",
            "Lenézően csak 'a kis grafikusnak' hívja Annát.",
            "Megmondta, hogy ő fizet, úgyhogy mi ne gondolkodjunk, csak csináljuk.",
            "Az egész tervet 'óvodás szintűnek' nevezte a vezetők előtt.",
            "lekezelo volt megint, Petert meg se hallgatta",
            "A könyvelőnk elmagyarázta az áfaszabályt, ő kinevette, és azt mondta, menjen "
            "vissza az iskolába.",
            "Elegem van abból, hogy kioktat a felújításról valaki, aki még fúrót sem fogott a "
            "kezében.",
            "Lustának nevezte az ajánlatunkat, és azt mondta, biztos az internetről másoltuk.",
            "Az átnézésen azt mondta, a terv 'olyan, mint egy diákmunka', és majd ő megmondja, "
            "hogyan javítsuk.",
            "Azt mondta a fejlesztőnknek: 'csak gépeld be, amit mondok, nem a véleményedre "
            "vagyok kíváncsi'.",
            "Minden pontban felülbírálta a grafikusunkat, aztán úgy magyarázta el neki a "
            "tipográfiát, mintha sosem hallott volna róla.",
            "Forgatta a szemét a becslésünkre, és azt mondta, egy komoly cég egy hét alatt "
            "megcsinálná.",
        ],
        "fi": [
            "Sanoi suunnittelijallemme, että tämä näyttää ala-asteen piirustukselta.",
            "Puhelu: keskeytti jatkuvasti ja sanoi, ettemme ymmärrä mitään markkinoinnista.",
            "Kohtelee kehittäjiämme kuin juoksupoikia.",
            "Hän kirjoitti tekstimme uusiksi ja lisäsi: 'näin aikuiset kirjoittavat'.",
            "Vähätteli Annan osaamista koko johtoryhmän edessä.",
            "Kysyy aina, onko meillä joku, joka oikeasti osaa asiansa.",
            "Sanoi, että hän maksaa, joten meidän ei tarvitse ajatella.",
            "ylimielinen sävy taas, puhui Pekalle kuin pikkupojalle",
            "Hänen mielestään koodarimme eivät tiedä mitä tekevät.",
            "Töykeä sähköposti: 'yrittäkää nyt edes kerran tehdä se oikein'.",
            "Katselmoinnissa hän sanoi, että taittomme 'näyttää opiskelijan harjoitustyöltä' "
            "ja että hän kertoo meille, miten se korjataan.",
            "Sanoi kehittäjällemme: 'kirjoita vain mitä sanon, et ole täällä mielipiteitä varten'.",
            "Kumosi suunnittelijamme jokaisessa kohdassa ja selitti hänelle typografiaa kuin "
            "tämä ei olisi koskaan kuullut siitä.",
            "Toistelee, että hänen teini-ikäinen poikansa tietää verkkosivuista enemmän kuin "
            "koko tiimimme.",
            "Pyöritteli silmiään arviollemme ja sanoi, että kuka tahansa vakava yritys tekisi "
            "sen viikossa.",
        ],
        "lv": [
            "Teica mūsu dizainerei, ka viņai labāk palikt pie krāsojamām grāmatām.",
            "Zvans: visu laiku pārtrauca un teica, ka mēs neko nesaprotam no mārketinga.",
            "Izturas pret mūsu programmētājiem kā pret kurjeriem.",
            "Viņš pārrakstīja mūsu tekstu un piebilda: 'tā raksta pieauguši cilvēki'.",
            "Noniecināja Annas zināšanas visas valdes priekšā.",
            "Vienmēr jautā, vai mums ir kāds, kas tiešām saprot savu darbu.",
            "augstpratigs tonis atkal, runaja ar Peteri ka ar mazu puiku",
            "Pēc viņa domām, mūsu izstrādātāji nezina, ko dara.",
            "Rupjš e-pasts: 'pamēģiniet vismaz vienreiz izdarīt pareizi'.",
            "Izturas pret būvbrigādi kā pret mēsliem un kliedz pavēles būvdarbu vadītājam.",
            "Nosauca mūsu piedāvājumu par slinku un teica, ka mēs to noteikti nokopējām no "
            "interneta.",
            "Pārskatā viņš teica, ka mūsu makets 'izskatās pēc studenta darba' un ka viņš "
            "pateiks, kā to labot.",
            "Teica mūsu izstrādātājam: 'vienkārši raksti, ko es saku, tavs viedoklis nevienu "
            "neinteresē'.",
            "Visu laiku atkārto, ka viņa pusaudzis dēls par mājaslapām zina vairāk nekā visa "
            "mūsu komanda.",
            "Pagrieza acis par mūsu tāmi un teica, ka jebkurš nopietns uzņēmums to izdarītu "
            "nedēļā.",
        ],
    },
    "ignores_advice": {
        "en": [
            "Told her the font licence only covers print. She used it on the web regardless, "
            "now the foundry wrote to her and she blames us.",
            "Skipped the user testing we proposed. Launch flopped. Now he wants a redesign at "
            "our cost.",
            "I said the deadline was too tight for a full migration; he insisted. Data got "
            "lost and we're 'responsible'.",
            "We warned them the plugin was abandoned. They kept it. Hacked last week, they "
            "want it cleaned up free.",
            "Despite everything Anna explained about accessibility he picked the grey-on-grey "
            "palette; now the complaints are our fault.",
            "Recommended a phased rollout. He went big bang. Now furious that it broke.",
            "Told him a June shoot outdoors at noon would give harsh light. He booked it "
            "anyway and now hates the photos and wants a free reshoot.",
            "Against our translator's advice he ran the contract through a free online tool "
            "for the German version; the partner misread a clause and he's blaming us.",
            "Despite two emails from us warning about the licence, she used the stock photo on "
            "the billboard. The agency sent a bill and she forwarded it to us.",
            "We recommended keeping the booking form simple; he insisted on twelve fields. "
            "Bookings dropped by half and now he wants us to redo it for free.",
            "Advised against launching the app without the privacy screens. They launched "
            "anyway and now want us to fix the complaints over the weekend.",
            "Told them twice the printer needed vector logos. They sent a JPEG anyway and now "
            "want the blurry print redone at our cost.",
            "He ignored our warning about the cheap SMS provider; half the reminders never "
            "arrived and now he expects us to sort it out.",
        ],
        "hu": [
            "Javasoltuk a tesztkörnyezetet, ő egyből élesre tette, leállt a bolt, most mi "
            "legyünk a hibásak.",
            "Kétszer is mondtuk, hogy ne az olcsó tárhelyet vegye. Megvette, lassú az oldal, "
            "és ingyen akarja, hogy megjavítsuk.",
            "Szóltunk, hogy a betűtípus licence csak nyomtatásra szól. Ennek ellenére weben "
            "használta, most minket hibáztat.",
            "Kihagyta a felhasználói tesztet, amit ajánlottunk, bukott a bevezetés, most a mi "
            "költségünkön akar újratervezést.",
            "A SEO-tanácsainkat figyelmen kívül hagyta, esett a forgalom, most csodát vár tőlünk.",
            "Figyelmeztettük, hogy a bővítmény elavult. Megtartotta. Feltörték, most ingyen "
            "takarítsuk ki.",
            "mondtam neki h ne igy csinalja, megcsinalta, most en javitsam",
            "Azt ajánlottuk, hogy fokozatosan vezessük be, ő mindent egyszerre akart. Most "
            "dühös, hogy elromlott.",
            "Hiába magyarázta el Anna az akadálymentességet, a szürke színeket választotta, "
            "most a panaszok miatt minket okol.",
            "Mondtam neki, hogy a júniusi déli szabadtéri fotózás kemény fényt ad. Mégis "
            "lefoglalta, most utálja a képeket és ingyen újrafotózást akar.",
            "Két figyelmeztető e-mailünk ellenére kitette a stockfotót az óriásplakátra. Az "
            "ügynökség számlát küldött, ő továbbította nekünk.",
            "Azt javasoltuk, maradjon egyszerű a foglalási űrlap; ő tizenkét mezőt erőltetett. "
            "Felére estek a foglalások, most ingyen akarja újracsináltatni.",
            "Nem javasoltuk az alkalmazás indítását az adatvédelmi képernyők nélkül. Mégis "
            "elindították, most hétvégén javítsuk a panaszokat.",
            "Azt tanácsoltuk, mentsenek a költöztetés előtt. Nemet mondott, elveszett a "
            "rendelések táblája, és minket hibáztat.",
            "Kétszer is szóltunk, hogy a nyomdának vektoros logó kell. Mégis JPEG-et küldtek, "
            "és most a mi költségünkön kérik az elmosódott nyomat újranyomását.",
            "Figyelmen kívül hagyta a figyelmeztetésünket az olcsó SMS-szolgáltatóról; az "
            "emlékeztetők fele meg sem érkezett, most tőlünk várja, hogy rendbe tegyük.",
        ],
        "fi": [
            "Suosittelimme testiympäristöä, hän vei muutokset suoraan tuotantoon ja kauppa "
            "kaatui. Nyt se on meidän ongelmamme.",
            "Neuvoimme kahdesti välttämään halpaa hostingia. Hän osti sen silti, sivu on hidas "
            "ja nyt hän haluaa korjauksen ilmaiseksi.",
            "Kerroin, että fontin lisenssi kattaa vain painotuotteet. Hän käytti sitä "
            "verkossa, ja nyt syyttää meitä.",
            "Jätti väliin ehdottamamme käyttäjätestauksen, julkaisu epäonnistui ja nyt hän "
            "vaatii uutta suunnittelua meidän piikkiin.",
            "Varoitimme, että lisäosa on hylätty. He pitivät sen, sivu hakkeroitiin ja nyt "
            "pitäisi siivota ilmaiseksi.",
            "Ehdotimme vaiheittaista käyttöönottoa, hän halusi kaiken kerralla. Nyt hän on "
            "raivoissaan, kun kaikki hajosi.",
            "Annan saavutettavuusohjeista huolimatta hän valitsi harmaan harmaalla, ja nyt "
            "valitukset ovat muka meidän vikamme.",
            "Sanoin, että aikataulu on liian tiukka. Hän vaati silti. Dataa katosi ja me "
            "olemme 'vastuussa'.",
            "Sanoin, että kesäkuinen keskipäivän ulkokuvaus antaa kovan valon. Hän varasi sen "
            "silti, ja nyt hän vihaa kuvia ja haluaa ilmaisen uusintakuvauksen.",
            "Kääntäjämme neuvon vastaisesti hän käänsi sopimuksen ilmaisella nettityökalulla, "
            "kumppani ymmärsi kohdan väärin ja nyt hän syyttää meitä.",
            "Suosittelimme vanhojen osoitteiden uudelleenohjausten säilyttämistä. Hän poisti "
            "ne. Hakusijoitukset menivät, ja meidän pitäisi muka siivota sotku.",
            "Hän ohitti rakennesuunnittelijamme ja purki seinän. Nyt katossa on halkeama ja "
            "meidän pitäisi korjata se.",
            "Neuvoimme olemaan julkaisematta sovellusta ilman tietosuojanäkymiä. He "
            "julkaisivat silti ja nyt meidän pitäisi korjata valitukset viikonloppuna.",
            "Neuvoimme ottamaan varmuuskopion ennen siirtoa. Hän kieltäytyi, tilaustaulu "
            "katosi ja hän syyttää meitä.",
            "Sanoimme kahdesti, että paino tarvitsee vektorilogot. He lähettivät silti JPEG:n "
            "ja nyt haluavat sumean painatuksen uusiksi meidän kustannuksellamme.",
            "Hän ei välittänyt varoituksestamme halvasta tekstiviestipalvelusta; puolet "
            "muistutuksista ei tullut perille ja nyt hän odottaa, että me selvitämme asian.",
        ],
        "lv": [
            "Ieteicām testa vidi, viņš visu uzlika uzreiz dzīvajā vietnē un veikals nokrita. "
            "Tagad tā ir mūsu problēma.",
            "Divreiz teicām neņemt lēto hostingu. Viņš to nopirka, lapa ir lēna, un tagad "
            "grib, lai salabojam par velti.",
            "Brīdinājām, ka fonta licence ir tikai drukai. Viņa to izmantoja tīmeklī, tagad "
            "vaino mūs.",
            "Izlaida lietotāju testēšanu, ko piedāvājām, palaišana izgāzās, un tagad viņš grib "
            "jaunu dizainu uz mūsu rēķina.",
            "Iesakām ieviest pa posmiem, viņš gribēja visu uzreiz. Tagad ir nikns, ka viss salūza.",
            "Neskatoties uz Annas skaidrojumu par pieejamību, viņš izvēlējās pelēku uz pelēka, "
            "un tagad sūdzības esot mūsu vaina.",
            "Mūsu SEO padomi aizgāja miskastē, apmeklējums kritās, un tagad viņš gaida brīnumu.",
            "Teicu, ka termiņš ir par īsu. Viņš uzstāja. Dati pazuda, un mēs esot 'atbildīgi'.",
            "Teicu viņam, ka jūnija pusdienlaika fotosesija ārā dos skarbu gaismu. Viņš to "
            "tomēr rezervēja, tagad ienīst bildes un grib bezmaksas pārfotografēšanu.",
            "Pretēji mūsu tulkotājas padomam viņš tulkoja līgumu ar bezmaksas tiešsaistes "
            "rīku, partneris pārprata punktu, un tagad viņš vaino mūs.",
            "Neskatoties uz diviem mūsu brīdinājuma e-pastiem, viņa izmantoja stock foto uz "
            "stenda. Aģentūra atsūtīja rēķinu, un viņa to pārsūtīja mums.",
            "Ieteicām nepalaist lietotni bez privātuma ekrāniem. Viņi tomēr palaida, un tagad "
            "grib, lai nedēļas nogalē salabojam sūdzības.",
            "Mūsu padoms bija pirms migrācijas izveidot rezerves kopiju. Viņš atteicās, "
            "pasūtījumu tabula pazuda, un viņš vaino mūs.",
            "Divreiz teicām, ka tipogrāfijai vajag vektoru logo. Viņi tomēr atsūtīja JPEG, un "
            "tagad grib izplūdušo druku pārtaisīt uz mūsu rēķina.",
            "Viņš ignorēja mūsu brīdinājumu par lēto SMS pakalpojumu; puse atgādinājumu "
            "nepienāca, un tagad viņš gaida, ka mēs to atrisināsim.",
        ],
    },
    "dishonest": {
        "en": [
            "Now says the price 'obviously' included the mobile version. It never did, it's in "
            "the quote.",
            "Claims he never got the invoice. We have the read receipt.",
            "Swore on the phone he'd approved nothing, but the sign-off email is from him.",
            "She told her boss we missed the deadline; in fact she sent the content three "
            "weeks late.",
            "Insisted the retainer covered weekend support. Contract says Mon-Fri, he "
            "initialled every page.",
            "Pretended not to have seen the change-order, though he replied to it.",
            "Changed his story three times about who asked for the extra feature.",
            "He now says the wedding package 'always' included the second photographer. Our "
            "price list and his signed booking say it doesn't.",
            "Told his bank we had approved the budget numbers. We never saw them.",
            "Claims our foreman agreed to do the bathroom tiling for free. Foreman says he "
            "said no such thing, and nothing is in writing.",
            "Now claims the price included a year of free hosting. The quote lists hosting "
            "separately and he signed it.",
            "Says he never approved the menu design, but the approval came from his own email "
            "on the 3rd.",
            "Told his partner we had agreed to finish by Easter. We never gave that date.",
            "Insists we promised unlimited photo edits. The contract says two rounds.",
            "He denies the call where he agreed to pay for the extra page, even though he "
            "confirmed it in writing afterwards.",
        ],
        "hu": [
            "Most azt állítja, hogy az árban 'természetesen' benne volt a mobilverzió. Sosem "
            "volt, az ajánlatban ott van.",
            "Azt mondja, nem kapta meg a számlát. Megvan az olvasási visszaigazolás.",
            "Telefonon megesküdött, hogy semmit nem hagyott jóvá, pedig az elfogadó e-mail "
            "tőle jött.",
            "A főnökének azt mondta, mi késtünk, valójában ő küldte három héttel később az "
            "anyagot.",
            "szerinte a 3 extra oldal 'benne volt a csomagban'. csomag = 5 oldal, aláírva",
            "Ragaszkodik hozzá, hogy a havidíj a hétvégi supportot is fedezi. A szerződésben "
            "hétfőtől péntekig szerepel.",
            "Úgy tett, mintha nem látta volna a módosítási megrendelőt, pedig válaszolt is rá.",
            "Letagadta, hogy ő kérte a sürgős szállítást, pedig a saját e-mailjében az áll, "
            "hogy 'mehet expresszel'.",
            "Most azt állítja, hogy az árban benne volt egy év ingyenes tárhely. Az ajánlatban "
            "a tárhely külön tétel, és aláírta.",
            "Azt mondja, sosem hagyta jóvá a menü tervét, pedig a jóváhagyás a saját "
            "e-mail-címéről jött 3-án.",
            "Azt mondta a társának, hogy húsvétra vállaltuk a befejezést. Ezt a dátumot sosem "
            "adtuk meg.",
            "Ragaszkodik hozzá, hogy korlátlan fotójavítást ígértünk. A szerződésben két kör "
            "szerepel.",
            "Letagadja a hívást, amelyben elfogadta az extra oldal árát, pedig utána írásban "
            "is megerősítette.",
        ],
        "fi": [
            "Nyt hän väittää, että hintaan tietysti kuului mobiiliversio. Ei kuulunut, se "
            "lukee tarjouksessa.",
            "Sanoo, ettei ole saanut laskua. Meillä on lukukuittaus.",
            "Vannoi puhelimessa, ettei ole hyväksynyt mitään, mutta hyväksyntäviesti on häneltä.",
            "väittää et 3 lisäsivua kuului pakettiin. paketti = 5 sivua, allekirjoitettu",
            "Inttää, että kuukausimaksu kattaa viikonlopputuen. Sopimuksessa lukee ma-pe.",
            "Kertoo kaikille, että lupasimme rajattomasti korjauskierroksia. Lupasimme kaksi.",
            "Teeskenteli, ettei ollut nähnyt muutostilausta, vaikka oli vastannut siihen.",
            "Muutti kertomustaan kolmesti siitä, kuka lisäominaisuutta pyysi.",
            "Väittää, että työnjohtajamme lupasi laatoittaa kylpyhuoneen ilmaiseksi. "
            "Työnjohtaja ei ole sanonut mitään sellaista, eikä mitään ole kirjallisena.",
            "Sanoo, että lupasimme kirjan kauppoihin jouluksi. Lupasimme tiedostot lokakuuhun "
            "mennessä, ja ne toimitettiin.",
            "Väittää nyt, että hintaan kuului vuoden ilmainen ylläpito. Tarjouksessa ylläpito "
            "on erikseen, ja hän allekirjoitti sen.",
            "Sanoo, ettei koskaan hyväksynyt ruokalistan ulkoasua, vaikka hyväksyntä tuli "
            "hänen omasta sähköpostistaan 3. päivä.",
            "Kertoi osakkaalleen, että olimme luvanneet valmista pääsiäiseksi. Emme ole "
            "koskaan antaneet sitä päivää.",
            "Vaatii, että lupasimme rajattomat kuvankäsittelyt. Sopimuksessa lukee kaksi "
            "kierrosta.",
            "Kiistää puhelun, jossa hän suostui maksamaan lisäsivusta, vaikka vahvisti sen "
            "jälkeenpäin kirjallisesti.",
        ],
        "lv": [
            "Tagad apgalvo, ka cenā protams bija iekļauta mobilā versija. Nebija, tas ir "
            "rakstīts piedāvājumā.",
            "Saka, ka rēķinu nav saņēmis. Mums ir izlasīšanas apstiprinājums.",
            "Pa telefonu zvērēja, ka neko nav apstiprinājis, bet apstiprinājuma e-pasts ir no "
            "viņa.",
            "saka ka 3 papildu lapas bija paketē. pakete = 5 lapas, parakstīts",
            "Uzstāj, ka abonēšanas maksa sedz arī nedēļas nogales atbalstu. Līgumā ir "
            "pirmdiena līdz piektdiena.",
            "Visiem stāsta, ka solījām neierobežotus labojumus. Solījām divus.",
            "Izlikās, ka nav redzējis izmaiņu pasūtījumu, lai gan uz to atbildēja.",
            "Trīs reizes mainīja savu stāstu par to, kurš prasīja papildu funkciju.",
            "Tagad viņš saka, ka kāzu paketē 'vienmēr' bija iekļauts otrs fotogrāfs. Mūsu "
            "cenrādis un viņa parakstītā rezervācija saka ko citu.",
            "Teica savai bankai, ka mēs esam apstiprinājuši budžeta skaitļus. Mēs tos nekad "
            "neesam redzējuši.",
            "Saka, ka apsolījām grāmatu veikalos līdz Ziemassvētkiem. Mēs solījām failus līdz "
            "oktobrim, un tos nodevām.",
            "Tagad apgalvo, ka cenā bija iekļauts gads bezmaksas hostinga. Piedāvājumā "
            "hostings ir atsevišķi, un viņš to parakstīja.",
            "Saka, ka nekad nav apstiprinājis ēdienkartes dizainu, lai gan apstiprinājums nāca "
            "no viņa paša e-pasta 3. datumā.",
            "Teica savam partnerim, ka esam apsolījuši pabeigt līdz Lieldienām. Šo datumu mēs "
            "nekad neesam devuši.",
            "Uzstāj, ka solījām neierobežotu foto apstrādi. Līgumā ir divas kārtas.",
            "Noliedz zvanu, kurā piekrita samaksāt par papildu lapu, lai gan pēc tam to "
            "apstiprināja rakstiski.",
        ],
    },
    "demoralizes_team": {
        "en": [
            "Peter said he'd rather do unpaid overtime on anything else than another sprint "
            "with them.",
            "Team is miserable after every call with her. You can feel it in the room.",
            "Zsofi came out of the review shaking. Took her the rest of the day to recover.",
            "Whole team groans when his name pops up in Slack.",
            "Our best designer wants out of the account. Says she can't take his tone any more.",
            "Morale on the project is at rock bottom; people are snapping at each other since "
            "he joined.",
            "Support staff keep passing his tickets around so they don't have to answer them.",
            "The bookkeeping team draws straws for who has to call him back.",
            "everyone's stressed out of their minds because of this client, nobody sleeps "
            "before his deadlines",
            "Anna broke down in tears in the kitchen after his call.",
            "Nobody on the team wants to pick up his tickets any more, they leave them for me.",
            "Our junior developer said she'd quit rather than sit through another of his reviews.",
            "The team groans every time his name appears in the calendar.",
            "Two of the team have asked to be moved to other projects because of how he treats "
            "them.",
        ],
        "hu": [
            "Senki nem jelentkezett, amikor megkérdeztem, ki viszi az első negyedéves munkát "
            "náluk.",
            "Péter azt mondta, inkább túlórázik ingyen bármi máson, mint még egy sprint velük.",
            "A csapat minden hívás után teljesen le van törve.",
            "két fejlesztő mondta, hogy ha meghosszabbítjuk, másik munkát keresnek",
            "Zsófi remegve jött ki az átbeszélésről, egész nap nem tért magához.",
            "Az egész csapat felnyög, amikor felvillan a neve a Slacken.",
            "A legjobb grafikusunk le akar kerülni a projektről, azt mondja, nem bírja tovább "
            "a hangnemét.",
            "A projekten a hangulat a béka feneke alatt van, mióta ő bekapcsolódott, mindenki "
            "ingerült.",
            "A supportosok egymásnak passzolgatják a jegyeit, hogy ne nekik kelljen válaszolni.",
            "Anna a hívása után sírva fakadt a konyhában.",
            "Elvesztettünk egy jó szabadúszót ezen az ügyfélen, azt mondta, megutálta miatta a "
            "szakmát.",
            "A csapatból már senki sem akarja elvállalni a jegyeit, mind rám hagyják.",
            "A junior fejlesztőnk azt mondta, inkább felmond, mint hogy végigüljön még egy "
            "átnézést vele.",
            "A csapat felnyög, valahányszor megjelenik a neve a naptárban.",
            "A csapatból ketten kérték, hogy tegyük át őket más projektre, amiatt, ahogy velük "
            "bánik.",
        ],
        "fi": [
            "Kukaan ei viitannut, kun kysyin, kuka ottaa heidän Q1-työt.",
            "Pekka sanoi tekevänsä mieluummin palkatonta ylityötä missä tahansa muussa kuin "
            "vielä yhden sprintin heidän kanssaan.",
            "Tiimi on maassa jokaisen palaverin jälkeen hänen kanssaan.",
            "kaksi kehittäjää sanoi etsivänsä uuden työn jos jatkamme sopimusta",
            "Anna tuli katselmoinnista täristen, toipui vasta illalla.",
            "Koko tiimi voihkaisee, kun hänen nimensä välähtää Slackissa.",
            "Paras suunnittelijamme haluaa pois asiakkuudesta, ei kestä hänen sävyään enää.",
            "Projektin henki on pohjalla, kaikki ovat kireitä siitä asti kun hän tuli mukaan.",
            "Tuki pompottelee hänen tikettejään toisilleen, ettei kenenkään tarvitse vastata.",
            "Menetimme hyvän freelancerin tämän asiakkuuden takia, hän sanoi alkaneensa vihata "
            "koko työtä sen vuoksi.",
            "Kukaan tiimistä ei enää halua ottaa hänen tikettejään, ne jätetään minulle.",
            "Juniorikehittäjämme sanoi irtisanoutuvansa mieluummin kuin istuu vielä yhden "
            "hänen katselmointinsa.",
            "Tiimi huokaisee joka kerta, kun hänen nimensä näkyy kalenterissa.",
            "Kaksi tiimiläistä on pyytänyt siirtoa muihin projekteihin sen takia, miten hän "
            "kohtelee heitä.",
        ],
        "lv": [
            "Neviens nepacēla roku, kad jautāju, kurš uzņemsies viņu pirmā ceturkšņa darbu.",
            "Pēteris teica, ka labāk strādās bez samaksas virsstundas pie jebkā cita, nekā vēl "
            "vienu sprintu ar viņiem.",
            "Komanda ir pilnīgi sagrauta pēc katras sapulces ar viņu.",
            "Anna iznāca no pārskata trīcot, atgājās tikai vakarā.",
            "Visa komanda novaidas, kad Slackā parādās viņa vārds.",
            "Mūsu labākā dizainere grib tikt prom no šī klienta, saka, ka vairs nevar izturēt "
            "viņa toni.",
            "Projektā gaisotne ir pa nullēm, kopš viņš pievienojās, visi ir saērcināti.",
            "Atbalsta komanda stumda viņa pieteikumus viens otram, lai nevienam nebūtu jāatbild.",
            "Anna pēc viņa zvana virtuvē sāka raudāt.",
            "Neviens komandā vairs negrib ņemt viņa pieteikumus, tos atstāj man.",
            "Mūsu jaunākā izstrādātāja teica, ka labāk aizies no darba, nekā sēdēs vēl vienā "
            "viņa pārskatā.",
            "Komanda nopūšas katru reizi, kad kalendārā parādās viņa vārds.",
            "Divi no komandas ir lūguši pārcelt viņus uz citiem projektiem tāpēc, kā viņš pret "
            "viņiem izturas.",
        ],
    },
    "gut_feeling": {
        "en": [
            "Can't say why, but I'm not comfortable renewing with them.",
            "Everything is polite and paid, and still my stomach turns before every call with him.",
            "My instincts say walk away from this one.",
            "I keep wondering what they're not telling us.",
            "Honestly I don't believe half of what he says about the funding.",
            "Something about the way he avoids the contract question bothers me.",
            "gut says no. no hard evidence yet",
            "I'd be relieved if they went to another agency, and I can't fully explain it.",
            "This deal feels too smooth. I'm on edge.",
            "Not a good feeling after the meeting today, like we're being set up for something.",
            "Owner's note: I'm uneasy. Let's ask for a bigger deposit before the next phase.",
            "There's a feeling I can't shake that he's using us to get a cheaper quote elsewhere.",
            "Just a hunch but I wouldn't start the second stage before the first invoice clears.",
            "Nothing concrete, but I have an uneasy feeling about this client and I don't want "
            "to extend the contract.",
            "My gut tells me they won't pay the final invoice.",
            "Something about him doesn't sit right with me; he's too vague about who actually "
            "owns the company.",
            "I can't shake the feeling that we're being used for free ideas.",
            "I don't trust their sudden urgency. Let's get the deposit first.",
        ],
        "hu": [
            "Nem tudom megmondani, miért, de nem szívesen hosszabbítanék velük.",
            "Minden udvarias és ki van fizetve, mégis görcsbe rándul a gyomrom minden hívás előtt.",
            "Az ösztöneim azt mondják, szálljunk ki ebből.",
            "Folyton azon gondolkodom, mit nem mondanak el nekünk.",
            "Őszintén, a finanszírozásról mondottak felét sem hiszem el.",
            "Valami zavar abban, ahogy kikerüli a szerződés kérdését.",
            "zsigerbol nemet mondanek. bizonyitek meg nincs",
            "Megkönnyebbülnék, ha másik ügynökséghez mennének, és nem is tudom pontosan, miért.",
            "Ez az üzlet túl simán megy. Nyugtalan vagyok.",
            "Nem jó érzéssel jöttem ki a mai megbeszélésről, mintha csapdába akarnának csalni.",
            "Megszólalt bennem a vészcsengő, amikor megkérdezte, 'kell-e' bejelenteni a munkát.",
            "Tulajdonosi megjegyzés: nyugtalan vagyok. Kérjünk nagyobb előleget a következő "
            "fázis előtt.",
            "Nem tudok szabadulni az érzéstől, hogy csak arra használ minket, hogy máshol "
            "olcsóbb ajánlatot kapjon.",
            "Semmi konkrét, de nyugtalanító érzésem van ezzel az ügyféllel kapcsolatban, és "
            "nem akarom meghosszabbítani a szerződést.",
            "A megérzésem azt súgja, hogy a végszámlát nem fogják kifizetni.",
            "Valami nem stimmel vele; túl homályosan beszél arról, kié valójában a cég.",
            "Nem tudok szabadulni az érzéstől, hogy ingyen ötletekért használnak minket.",
            "Nem bízom a hirtelen sürgetésükben. Előbb kérjük az előleget.",
        ],
        "fi": [
            "En osaa sanoa miksi, mutta en haluaisi jatkaa heidän kanssaan.",
            "Kaikki on kohteliasta ja maksettu, silti vatsaa kouraisee ennen jokaista puhelua.",
            "Vaistot sanovat, että tästä kannattaa luopua.",
            "Mietin koko ajan, mitä he jättävät kertomatta.",
            "Rehellisesti sanoen en usko puoliakaan siitä, mitä hän kertoo rahoituksesta.",
            "Minua vaivaa se, miten hän väistelee sopimuskysymystä.",
            "fiilis sanoo ei. ei vielä todisteita",
            "Olisin helpottunut, jos he menisivät toiseen toimistoon, enkä osaa selittää miksi.",
            "Tämä kauppa sujuu liian sujuvasti. Olen varuillani.",
            "Ei hyvä olo tämän päivän palaverin jälkeen, tuntuu kuin meitä vedettäisiin ansaan.",
            "Kolmannen kerran hän vaihtoi yrityksen nimen sopimukseen. Jokin ei minusta täsmää.",
            "Hälytyskellot soivat heti kun hän kysyi, 'tarvitseeko' työtä ilmoittaa.",
            "Omistajan merkintä: olen levoton. Pyydetään isompi ennakko ennen seuraavaa vaihetta.",
            "En pääse eroon tunteesta, että hän käyttää meitä saadakseen halvemman tarjouksen "
            "muualta.",
            "Ei mitään konkreettista, mutta minulla on levoton olo tästä asiakkaasta enkä "
            "halua jatkaa sopimusta.",
            "Vaistoni sanoo, etteivät he maksa loppulaskua.",
            "Jokin hänessä ei tunnu oikealta; hän on liian epämääräinen siitä, kuka yrityksen "
            "oikeasti omistaa.",
            "En pääse eroon tunteesta, että meitä käytetään ilmaisten ideoiden lähteenä.",
            "En luota heidän äkilliseen kiireeseensä. Otetaan ennakko ensin.",
        ],
        "lv": [
            "Nevaru pateikt kāpēc, bet negribētu ar viņiem pagarināt.",
            "Viss ir pieklājīgi un samaksāts, tomēr pirms katra zvana man sažņaudzas vēders.",
            "Instinkti saka, ka no šī jāatkāpjas.",
            "Visu laiku domāju, ko viņi mums nestāsta.",
            "Godīgi sakot, neticu ne pusei no tā, ko viņš stāsta par finansējumu.",
            "Mani kaut kas uztrauc tajā, kā viņš izvairās no jautājuma par līgumu.",
            "Man būtu atvieglojums, ja viņi aizietu pie citas aģentūras, un nevaru īsti "
            "paskaidrot kāpēc.",
            "Šis darījums iet pārāk gludi. Esmu uzmanīgs.",
            "Nav laba sajūta pēc šodienas tikšanās, it kā mūs gribētu ievilināt slazdā.",
            "Man iekšā iezvanījās trauksme, kad viņš pajautāja, vai darbu 'vajag' reģistrēt.",
            "Īpašnieka piezīme: esmu nemierīgs. Prasīsim lielāku avansu pirms nākamās fāzes.",
            "Nevaru atbrīvoties no sajūtas, ka viņš mūs izmanto, lai citur dabūtu lētāku "
            "piedāvājumu.",
            "Tikai nojauta, bet otro posmu nesāktu, kamēr pirmais rēķins nav apmaksāts.",
            "Nekā konkrēta, bet man ir nemierīga sajūta par šo klientu, un es negribu "
            "pagarināt līgumu.",
            "Iekšējā balss saka, ka gala rēķinu viņi nesamaksās.",
            "Kaut kas viņā nav īsti kārtībā; viņš pārāk izvairīgi runā par to, kam uzņēmums "
            "patiesībā pieder.",
            "Nevaru atbrīvoties no sajūtas, ka mūs izmanto bezmaksas ideju iegūšanai.",
            "Neuzticos viņu pēkšņajai steigai. Vispirms paņemsim avansu.",
        ],
    },
}

QUIET = {
    "disrespectful": {
        "en": [
            "Very respectful on the call, thanked Anna twice for her patience.",
            "Their old agency treated them like a cash machine, they said; they are glad to be "
            "with us.",
            "He asked politely how we usually estimate, so he can explain it to his board.",
            "Our designer explained to him how the grid works; he took notes.",
            "Never once rude, even when the launch slipped.",
            "He asked our photographer to explain the lighting so he could learn; really nice guy.",
            "Their previous translator was rude to them, they said, which is why they switched "
            "to us.",
            "Foreman explained to the client how the drainage works; client thanked him.",
            "Not once was he condescending, even when we got the dates wrong.",
            "She corrected a typo in our draft, politely, with a smiley.",
            "Always polite, asked our designer's opinion on every choice.",
            "He said his teenage son loved the new site. Sweet.",
            "Their old web agency talked down to them, they said; glad we listen.",
        ],
        "hu": [
            "Nagyon tisztelettudó volt a hívásban, kétszer is megköszönte Anna türelmét.",
            "Az előző ügynökségük úgy bánt velük, mint egy bankautomatával, mondták; örülnek, "
            "hogy nálunk vannak.",
            "Udvariasan megkérdezte, hogyan becsülünk, hogy elmagyarázhassa a vezetőségnek.",
            "Soha nem volt bunkó, akkor sem, amikor csúszott az indulás.",
            "Megkérte a fotósunkat, hogy magyarázza el a világítást, mert tanulni szeretne; "
            "nagyon rendes.",
            "Az előző fordítójuk bunkó volt velük, mondták, ezért váltottak hozzánk.",
            "Egyszer sem volt lekezelő, akkor sem, amikor elrontottuk a dátumokat.",
            "Udvariasan, egy mosolygós fejjel jelezte az elírást a vázlatban.",
            "Mindig udvarias, minden döntésnél kikérte a grafikusunk véleményét.",
            "Azt mondta, a kamasz fiának nagyon tetszik az új oldal. Aranyos.",
            "A régi webes ügynökségük lekezelően beszélt velük, mondták; örülnek, hogy mi "
            "meghallgatjuk őket.",
        ],
        "fi": [
            "Erittäin kunnioittava puhelussa, kiitti Annaa kahdesti kärsivällisyydestä.",
            "Heidän entinen toimistonsa kohteli heitä kuin pankkiautomaattia, kertoivat; ovat "
            "iloisia, että ovat meillä.",
            "Kysyi kohteliaasti, miten arvioimme työmäärän, jotta voi selittää sen hallitukselle.",
            "Ei kertaakaan töykeä, ei edes kun julkaisu myöhästyi.",
            "Pyysi kuvaajaamme selittämään valaistuksen, jotta oppisi; tosi mukava tyyppi.",
            "Heidän edellinen kääntäjänsä oli heille töykeä, he kertoivat, siksi he vaihtoivat "
            "meihin.",
            "Ei kertaakaan alentuva, ei edes kun päivämäärät menivät meillä väärin.",
            "Korjasi kohteliaasti kirjoitusvirheen luonnoksessamme hymiön kera.",
            "Aina kohtelias, kysyi suunnittelijamme mielipidettä jokaiseen valintaan.",
            "Sanoi, että hänen teini-ikäinen poikansa tykkäsi uudesta sivusta. Suloista.",
            "Heidän vanha toimistonsa puhui heille alentuvasti, he kertoivat; ovat iloisia, "
            "että kuuntelemme.",
        ],
        "lv": [
            "Zvanā ļoti cieņpilns, divreiz pateicās Annai par pacietību.",
            "Viņu iepriekšējā aģentūra izturējās pret viņiem kā pret bankomātu, viņi teica; "
            "priecājas būt pie mums.",
            "Pieklājīgi pajautāja, kā mēs novērtējam darbu, lai varētu to paskaidrot valdei.",
            "Ne reizi nebija rupjš, pat kad palaišana aizkavējās.",
            "Palūdza mūsu fotogrāfam izskaidrot apgaismojumu, lai varētu mācīties; ļoti jauks "
            "cilvēks.",
            "Viņu iepriekšējais tulkotājs bija pret viņiem rupjš, viņi teica, tāpēc pārnāca "
            "pie mums.",
            "Ne reizi nebija augstprātīgs, pat kad mēs sajaucām datumus.",
            "Pieklājīgi, ar smaidiņu norādīja uz drukas kļūdu mūsu melnrakstā.",
            "Vienmēr pieklājīgs, par katru izvēli jautāja mūsu dizaineres viedokli.",
            "Teica, ka viņa pusaudzim dēlam ļoti patīk jaunā lapa. Mīļi.",
            "Viņu vecā aģentūra runāja ar viņiem augstprātīgi, viņi teica; priecājas, ka mēs "
            "klausāmies.",
        ],
    },
    "ignores_advice": {
        "en": [
            "We recommended the staging step and he agreed straight away. Smooth launch.",
            "Took our advice on hosting, site is fast, he's happy.",
            "He questioned our SEO plan, we walked him through it, he followed it to the letter.",
            "Warned them about the plugin; they replaced it the same week.",
            "Told him the noon light would be harsh; he moved the shoot to 6pm. Photos are lovely.",
            "We suggested load testing before Black Friday, they booked it right away.",
            "He asked what we'd recommend for the wiring and went with it. Job done on time.",
            "We recommended a new hosting plan; they'll decide next quarter.",
            "We recommended a simpler booking form and he agreed; bookings are up.",
            "Advised a backup before the migration, he booked an extra hour for it.",
            "He wants the app in a week, although we said it takes a month.",
        ],
        "hu": [
            "Javasoltuk a tesztkörnyezetet, azonnal elfogadta. Simán ment az indulás.",
            "Megfogadta a tárhelyes tanácsunkat, gyors az oldal, elégedett.",
            "Figyelmeztettük a bővítmény miatt, még azon a héten lecserélték.",
            "Mindig meghallgatja a javaslatainkat, és be is tartja őket.",
            "Mondtam, hogy délben kemény lesz a fény; áttette este hatra. Gyönyörűek a képek.",
            "Javasoltuk a terheléses tesztet Black Friday előtt, azonnal megrendelték.",
            "Megkérdezte, mit javaslunk a vezetékekhez, és azt választotta. Időre kész lett.",
            "Új tárhelycsomagot ajánlottunk, a következő negyedévben döntenek.",
            "Egyszerűbb foglalási űrlapot javasoltunk, elfogadta; nőttek a foglalások.",
            "Mentést javasoltunk a költöztetés előtt, rendelt rá egy plusz órát.",
            "Egy hét alatt akarja az alkalmazást, pedig mondtuk, hogy egy hónap kell.",
        ],
        "fi": [
            "Suosittelimme testivaihetta ja hän suostui heti. Julkaisu sujui hyvin.",
            "Noudatti hosting-neuvoamme, sivu on nopea ja hän on tyytyväinen.",
            "Varoitimme lisäosasta, he vaihtoivat sen samalla viikolla.",
            "Kuuntelee aina suosituksemme ja toimii niiden mukaan.",
            "Sanoin, että keskipäivän valo on kova; hän siirsi kuvauksen kello kuuteen. Kuvat "
            "ovat upeita.",
            "Ehdotimme kuormitustestiä ennen Black Fridayta, he tilasivat sen heti.",
            "Kysyi, mitä suosittelemme sähköihin, ja valitsi sen. Työ valmistui ajallaan.",
            "Suosittelimme uutta palvelupakettia; he päättävät ensi neljänneksellä.",
            "Suosittelimme yksinkertaisempaa varauslomaketta ja hän suostui; varaukset ovat "
            "kasvaneet.",
            "Neuvoimme varmuuskopiota ennen siirtoa, hän tilasi siihen lisätunnin.",
            "Hän haluaa sovelluksen viikossa, vaikka sanoimme, että se vie kuukauden.",
        ],
        "lv": [
            "Ieteicām testa vidi, viņš uzreiz piekrita. Palaišana noritēja gludi.",
            "Ieklausījās mūsu padomā par hostingu, lapa ir ātra, viņš ir apmierināts.",
            "Brīdinājām par spraudni, viņi to nomainīja tajā pašā nedēļā.",
            "Vienmēr uzklausa mūsu ieteikumus un tos ievēro.",
            "Teicu, ka pusdienlaikā gaisma būs skarba; viņš pārcēla fotosesiju uz sešiem "
            "vakarā. Bildes ir brīnišķīgas.",
            "Ieteicām slodzes testu pirms Melnās piektdienas, viņi to uzreiz pasūtīja.",
            "Pajautāja, ko iesakām elektroinstalācijai, un izvēlējās to. Darbs pabeigts laikā.",
            "Ieteicām jaunu hostinga plānu; viņi izlems nākamajā ceturksnī.",
            "Ieteicām vienkāršāku rezervācijas formu, un viņš piekrita; rezervāciju ir vairāk.",
            "Ieteicām rezerves kopiju pirms migrācijas, viņš tai pasūtīja papildu stundu.",
            "Viņš grib lietotni nedēļā, lai gan teicām, ka vajag mēnesi.",
        ],
    },
    "dishonest": {
        "en": [
            "He checked the quote again and agreed the mobile version was extra. Fair.",
            "Said he never got the invoice; turned out it was in spam, he paid the same day.",
            "Very straight with us about their budget cut, told us before we started.",
            "Their last supplier lied to them about the hosting costs, so they want everything "
            "in writing.",
            "He thought the second photographer was included, checked the price list and "
            "apologised.",
            "Said he never got the invoice; it had gone to his old address. Paid the day we "
            "resent it.",
            "Their previous builder lied about the permits, so they check everything twice now.",
            "We agreed everything in writing and he has stuck to every word.",
            "He asked whether hosting was included; I pointed to the quote and he paid the "
            "extra without fuss.",
            "Told his partner we'd finish by Easter, which is exactly what we agreed.",
            "Their previous agency claimed the hosting was free and then billed them, so they "
            "read every quote twice.",
        ],
        "hu": [
            "Újra megnézte az ajánlatot, és elismerte, hogy a mobilverzió külön tétel. Korrekt.",
            "Nagyon őszinte volt a költségvetés csökkentéséről, még a munka előtt szólt.",
            "Az előző beszállítójuk hazudott nekik a tárhely költségéről, ezért mindent "
            "írásban kérnek.",
            "Mindent pontosan úgy csinált, ahogy megállapodtunk.",
            "Azt hitte, a második fotós benne van, megnézte az árlistát, és bocsánatot kért.",
            "Azt mondta, nem kapta meg a számlát; a régi címére ment. Az újraküldés napján "
            "fizetett.",
            "Az előző kivitelezőjük hazudott az engedélyekről, ezért most mindent kétszer "
            "ellenőriznek.",
            "Mindent írásban rögzítettünk, és minden szavát betartotta.",
            "Megkérdezte, benne van-e a tárhely; megmutattam az ajánlatot, és gond nélkül "
            "kifizette a különbözetet.",
            "Azt mondta a társának, hogy húsvétra végzünk, és pontosan ebben állapodtunk meg.",
            "Az előző ügynökségük azt állította, hogy ingyenes a tárhely, aztán kiszámlázta, "
            "ezért most minden ajánlatot kétszer elolvasnak.",
        ],
        "fi": [
            "Tarkisti tarjouksen uudestaan ja myönsi, että mobiiliversio on lisätyö. Reilua.",
            "Oli hyvin suora budjettileikkauksesta, kertoi ennen kuin aloitimme.",
            "Heidän edellinen toimittajansa valehteli heille hosting-kuluista, joten he "
            "haluavat kaiken kirjallisena.",
            "Kaikki meni juuri niin kuin sovimme.",
            "Luuli toisen kuvaajan kuuluvan hintaan, tarkisti hinnaston ja pyysi anteeksi.",
            "Sanoi, ettei saanut laskua; se oli mennyt vanhaan osoitteeseen. Maksoi samana "
            "päivänä kun lähetimme uudelleen.",
            "Heidän edellinen urakoitsijansa valehteli luvista, joten nyt he tarkistavat "
            "kaiken kahdesti.",
            "Sovimme kaiken kirjallisesti ja hän on pitänyt jokaisen sanansa.",
            "Kysyi, kuuluuko ylläpito hintaan; näytin tarjouksen ja hän maksoi lisän mukisematta.",
            "Kertoi osakkaalleen, että valmista tulee pääsiäiseksi, mikä on juuri se mitä sovimme.",
            "Heidän edellinen toimistonsa väitti ylläpidon olevan ilmaista ja laskutti sitten, "
            "joten he lukevat jokaisen tarjouksen kahdesti.",
        ],
        "lv": [
            "Vēlreiz pārbaudīja piedāvājumu un atzina, ka mobilā versija ir papildu darbs. Godīgi.",
            "Ļoti atklāti pastāstīja par budžeta samazinājumu, vēl pirms sākām.",
            "Viņu iepriekšējais piegādātājs viņiem meloja par hostinga izmaksām, tāpēc viņi "
            "grib visu rakstiski.",
            "Viss notika tieši tā, kā vienojāmies.",
            "Domāja, ka otrs fotogrāfs ir iekļauts, pārbaudīja cenrādi un atvainojās.",
            "Teica, ka rēķinu nav saņēmis; tas bija aizgājis uz veco adresi. Samaksāja dienā, "
            "kad nosūtījām atkārtoti.",
            "Viņu iepriekšējais būvnieks meloja par atļaujām, tāpēc tagad viņi visu pārbauda "
            "divreiz.",
            "Visu vienojāmies rakstiski, un viņš ir turējis katru vārdu.",
            "Pajautāja, vai hostings ir iekļauts; parādīju piedāvājumu, un viņš bez "
            "iebildumiem samaksāja starpību.",
            "Teica savam partnerim, ka pabeigsim līdz Lieldienām, un tieši par to mēs vienojāmies.",
            "Viņu iepriekšējā aģentūra apgalvoja, ka hostings ir bez maksas, un tad izrakstīja "
            "rēķinu, tāpēc viņi katru piedāvājumu lasa divreiz.",
        ],
    },
    "demoralizes_team": {
        "en": [
            "Team loves this account, Anna volunteered for the next phase.",
            "Everyone was exhausted after the launch week, but in a good way; client sent cake.",
            "Peter asked to move to their project, he likes the product.",
            "Morale is great on this one.",
            "Crew loves working at his house, he brings coffee every morning.",
            "Lisa asked to keep all his translations, she enjoys the topics.",
            "Everyone was tired after the wedding season, nothing to do with clients.",
            "The team went quiet for a minute when he announced the big order, then cheered.",
            "The team enjoys his calls, he always has a joke ready.",
            "Our junior asked to stay on his project for the next phase.",
            "The team was exhausted after the conference week, so we moved his review to Monday.",
        ],
        "hu": [
            "A csapat imádja ezt az ügyfelet, Anna jelentkezett a következő fázisra.",
            "Péter kérte, hogy átkerülhessen a projektjükre, tetszik neki a termék.",
            "Kiváló a hangulat ezen a projekten.",
            "Mindenki fáradt volt az indulási hét után, de jó értelemben; az ügyfél tortát "
            "küldött.",
            "A brigád szeret nála dolgozni, minden reggel kávét hoz.",
            "Lili kérte, hogy minden fordítása nála maradjon, szereti a témákat.",
            "Mindenki fáradt volt az esküvői szezon után, ennek semmi köze az ügyfelekhez.",
            "A csapat egy percre elhallgatott, amikor bejelentette a nagy megrendelést, aztán "
            "ujjongtak.",
            "A csapat szereti a hívásait, mindig van egy vicce.",
            "A juniorunk kérte, hogy a következő fázisban is maradhasson a projektjén.",
            "A csapat kimerült volt a konferenciahét után, ezért az átnézést hétfőre tettük.",
        ],
        "fi": [
            "Tiimi tykkää tästä asiakkaasta, Anna ilmoittautui seuraavaan vaiheeseen.",
            "Pekka pyysi päästä heidän projektiinsa, hän pitää tuotteesta.",
            "Tunnelma on tässä projektissa mahtava.",
            "Kaikki olivat väsyneitä julkaisuviikon jälkeen, mutta hyvällä tavalla; asiakas "
            "lähetti kakun.",
            "Porukka tykkää tehdä töitä hänen talossaan, hän tuo kahvia joka aamu.",
            "Liisa pyysi saada pitää kaikki hänen käännöksensä, aiheet ovat kiinnostavia.",
            "Kaikki olivat väsyneitä hääkauden jälkeen, asiakkailla ei ole sen kanssa mitään "
            "tekemistä.",
            "Tiimi hiljeni hetkeksi, kun hän kertoi isosta tilauksesta, ja sitten hurrasi.",
            "Tiimi tykkää hänen puheluistaan, hänellä on aina vitsi valmiina.",
            "Juniorimme pyysi saada jatkaa hänen projektissaan seuraavassa vaiheessa.",
            "Tiimi oli uupunut konferenssiviikon jälkeen, joten siirsimme hänen "
            "katselmointinsa maanantaille.",
        ],
        "lv": [
            "Komandai ļoti patīk šis klients, Anna pieteicās nākamajai fāzei.",
            "Pēteris lūdza pārcelt viņu uz viņu projektu, viņam patīk produkts.",
            "Noskaņojums šajā projektā ir lielisks.",
            "Visi bija noguruši pēc palaišanas nedēļas, bet labā nozīmē; klients atsūtīja torti.",
            "Brigādei patīk strādāt viņa mājā, viņš katru rītu atnes kafiju.",
            "Līga palūdza paturēt visus viņa tulkojumus, viņai patīk tēmas.",
            "Visi bija noguruši pēc kāzu sezonas, tam nav nekāda sakara ar klientiem.",
            "Komanda uz brīdi apklusa, kad viņš paziņoja par lielo pasūtījumu, un tad gavilēja.",
            "Komandai patīk viņa zvani, viņam vienmēr ir kāds joks.",
            "Mūsu jaunākais kolēģis lūdza palikt viņa projektā arī nākamajā fāzē.",
            "Komanda bija nogurusi pēc konferences nedēļas, tāpēc viņa pārskatu pārcēlām uz "
            "pirmdienu.",
        ],
    },
    "gut_feeling": {
        "en": [
            "Good feeling about this one, they pay early and say thanks.",
            "I trust them completely.",
            "Their previous agency had a bad feeling about the CEO, they told us; we've seen "
            "nothing of the kind.",
            "No doubts at all, let's renew.",
            "Paid the deposit by bank transfer the same day, asked for a proper invoice. Easy.",
            "Something tells me this will be our best project this year.",
            "The client has a bad feeling about their own landlord, asked us to document the "
            "flat carefully.",
            "No alarm bells at all, references checked out.",
            "Good feeling after the kick-off, clear brief and a fair budget.",
            "My gut says this could become a long partnership.",
            "Their accountant had doubts about the old supplier, they told us; switched to us "
            "for that reason.",
        ],
        "hu": [
            "Jó érzésem van velük kapcsolatban, korán fizetnek és megköszönik.",
            "Teljesen megbízom bennük.",
            "Semmi kétségem, hosszabbítsunk.",
            "Az előző ügynökségüknek rossz érzése volt a vezérigazgatóval, mondták; mi semmi "
            "ilyet nem tapasztaltunk.",
            "Még aznap átutalta az előleget, és rendes számlát kért. Egyszerű.",
            "Valami azt súgja, hogy ez lesz az idei legjobb projektünk.",
            "Az ügyfélnek rossz érzése van a saját bérbeadójával kapcsolatban, megkért, hogy "
            "alaposan dokumentáljuk a lakást.",
            "Semmi vészjel, a referenciák rendben vannak.",
            "Jó érzés a nyitó megbeszélés után, világos brief és korrekt költségvetés.",
            "A megérzésem szerint ebből hosszú együttműködés lehet.",
            "A könyvelőjüknek kétségei voltak a régi beszállítóval kapcsolatban, mondták; "
            "emiatt jöttek hozzánk.",
        ],
        "fi": [
            "Hyvä fiilis tästä asiakkaasta, maksavat etuajassa ja kiittävät.",
            "Luotan heihin täysin.",
            "Ei mitään epäilyksiä, jatketaan sopimusta.",
            "Heidän edellisellä toimistollaan oli huono tunne toimitusjohtajasta, he "
            "kertoivat; me emme ole nähneet mitään sellaista.",
            "Maksoi ennakon tilisiirtona samana päivänä ja pyysi kunnon laskun. Helppoa.",
            "Jokin sanoo minulle, että tästä tulee vuoden paras projektimme.",
            "Asiakkaalla on huono tunne omasta vuokranantajastaan, pyysi meitä dokumentoimaan "
            "asunnon huolellisesti.",
            "Ei mitään hälytysmerkkejä, suositukset tarkistettu.",
            "Hyvä fiilis aloituspalaverin jälkeen, selkeä brief ja reilu budjetti.",
            "Vaistoni sanoo, että tästä voi tulla pitkä kumppanuus.",
            "Heidän kirjanpitäjällään oli epäilyksiä vanhasta toimittajasta, he kertoivat; "
            "siksi he vaihtoivat meihin.",
        ],
        "lv": [
            "Laba sajūta par šo klientu, maksā laikus un pateicas.",
            "Es viņiem pilnībā uzticos.",
            "Nekādu šaubu, pagarinām.",
            "Viņu iepriekšējai aģentūrai bija slikta sajūta par vadītāju, viņi teica; mēs neko "
            "tādu neesam redzējuši.",
            "Avansu pārskaitīja tajā pašā dienā un prasīja kārtīgu rēķinu. Viegli.",
            "Kaut kas man saka, ka šis būs mūsu labākais gada projekts.",
            "Klientam ir slikta sajūta par savu izīrētāju, palūdza mūs rūpīgi dokumentēt dzīvokli.",
            "Nekādu brīdinājuma zīmju, atsauksmes pārbaudītas.",
            "Laba sajūta pēc sākuma sanāksmes, skaidrs uzdevums un godīgs budžets.",
            "Iekšējā balss saka, ka tā varētu būt ilga sadarbība.",
            "Viņu grāmatvedei bija šaubas par veco piegādātāju, viņi teica; tāpēc pārnāca pie "
            "mums.",
        ],
    },
}

BEYOND_THE_LISTS = {
    "disrespectful": {
        "en": [
            "He corrected my grammar in the reply-all and added 'basic stuff, guys'.",
            "Ignores Peter completely in meetings, only talks to me, as if Peter was furniture.",
            "At the shoot he told our photographer 'just press the button, I'll do the "
            "creative part'.",
            "(from Lisa) he keeps calling me 'sweetie' and asks to speak to my boss when I "
            "answer his questions.",
            "Emailed the whole thread: 'Is anyone at your company actually qualified?'",
            "He tore into our translation in front of his staff, said a dictionary would have "
            "done better.",
            "Our bookkeeper explained the VAT rule; he laughed and said she should go back to "
            "school.",
            "Treats the site crew like dirt, shouts orders at the foreman without a please.",
            "I am fed up with being lectured on how to run a renovation by a man who has never "
            "held a drill.",
            "Wouldn't even look at Anna while she presented, scrolled his phone and then said "
            "'anything else?'",
        ],
        "hu": [
            "Úgy beszél Zsófival, mint egy kislánnyal, minden mondatát kijavítja.",
            "A fotózáson azt mondta a fotósunknak, hogy csak nyomja a gombot, a kreatív részt "
            "majd ő csinálja.",
            "(Lilitől) folyton 'kislánynak' szólít, és a főnökömet kéri, amikor válaszolok a "
            "kérdéseire.",
            "Az egész levelezésre válaszolva megkérdezte: van nálatok egyáltalán valaki, aki "
            "képzett?",
            "A munkatársai előtt szétszedte a fordításunkat, azt mondta, egy szótár jobbat "
            "csinált volna.",
            "megint gúnyos megjegyzések a 'kreatívokról', akik nem értenek az üzlethez",
            "Úgy bánik az építésvezetővel, mint egy kapcával, kiabálva osztogatja az utasításokat.",
            "Rá se nézett Annára a prezentáció alatt, a telefonját nyomkodta, aztán annyit "
            "mondott: 'még valami?'",
            "Folyton azt mondogatja, hogy a kamasz fia többet tud a weboldalakról, mint az "
            "egész csapatunk.",
        ],
        "lv": [
            "Teica, ka viņš maksā, tāpēc mums nav jādomā, tikai jādara.",
            "Fotosesijā viņš teica mūsu fotogrāfam, lai tikai spiež pogu, radošo daļu izdarīs "
            "viņš pats.",
            "(no Līgas) visu laiku sauc mani par 'meitenīt' un prasa manu priekšnieku, kad "
            "atbildu uz viņa jautājumiem.",
            "Atbildēja visai sarakstei: 'Vai jums vispār ir kāds kvalificēts cilvēks?'",
            "Savu darbinieku priekšā sagrāva mūsu tulkojumu un teica, ka vārdnīca būtu "
            "izdarījusi labāk.",
            "Mūsu grāmatvede izskaidroja PVN noteikumu, viņš pasmējās un teica, lai viņa iet "
            "atpakaļ uz skolu.",
            "atkal dzēlīgas piezīmes par 'radošajiem', kas neko nesaprot no biznesa",
            "Man ir apnicis, ka mani māca, kā veikt remontu, cilvēks, kurš nekad nav turējis "
            "urbi rokās.",
            "Prezentācijas laikā pat nepaskatījās uz Annu, šķirstīja telefonu un tad teica "
            "'vēl kaut kas?'",
            "Katrā punktā atcēla mūsu dizaineres lēmumus un tad skaidroja viņai tipogrāfiju, "
            "it kā viņa par to nekad nebūtu dzirdējusi.",
        ],
        "fi": [
            "Kuvauksissa hän sanoi kuvaajallemme, että paina vain nappia, hän hoitaa luovan "
            "puolen.",
            "(Liisalta) kutsuu minua jatkuvasti 'tytöksi' ja pyytää pomoani puhelimeen, kun "
            "vastaan hänen kysymyksiinsä.",
            "Vastasi koko ketjuun: 'Onko teillä ketään, jolla on oikeasti pätevyyttä?'",
            "Haukkui käännöksemme henkilökuntansa edessä ja sanoi, että sanakirja olisi tehnyt "
            "paremman.",
            "Kirjanpitäjämme selitti ALV-säännön, hän nauroi ja käski hänen palata kouluun.",
            "taas piikkejä 'luovista tyypeistä' jotka eivät ymmärrä bisnestä",
            "Kohtelee työmaan porukkaa kuin roskaa ja huutaa käskyjä työnjohtajalle.",
            "Olen kyllästynyt siihen, että hän luennoi remontin tekemisestä, vaikka ei ole "
            "koskaan pitänyt porakonetta kädessään.",
            "Kutsui tarjoustamme laiskaksi ja sanoi, että olemme selvästi kopioineet sen netistä.",
            "Ei edes katsonut Annaa esityksen aikana, selasi puhelintaan ja sanoi sitten "
            "'oliko muuta?'",
        ],
    },
    "ignores_advice": {
        "en": [
            "We recommended a staging site; he pushed straight to live and the shop went down. "
            "Now it's our problem.",
            "Advised against the cheap hosting twice. He bought it. Site is slow and he wants "
            "us to fix it for free.",
            "he didnt want backups ('waste of money'). server died. guess who he called at 2am",
            "Our SEO advice went straight in the bin, traffic dropped, and now he expects a "
            "miracle.",
            "Our bookkeeper flagged that the deduction wouldn't hold up. He claimed it "
            "regardless; tax office letter arrived and he says we should have stopped him.",
            "We said the old wiring had to go before the tiles. He refused to pay for it. Now "
            "there's a fault behind the new tiles and he wants us to open the wall for free.",
            "Recommended he keep the old domain redirects. He deleted them. Rankings gone, and "
            "apparently it's our mess to clean up.",
            "I begged them not to launch on Black Friday without load testing. They did. The "
            "site fell over and the CEO is furious with us.",
            "ignored the colour proof we sent, printed 5000 brochures, colours are off, wants "
            "a reprint at our cost",
            "He overrode our structural engineer and removed the wall. Crack in the ceiling "
            "now and we're supposed to fix it.",
            "We advised a password manager; he kept the sticky notes. Account got taken over, "
            "now wants us to recover everything tonight.",
            "Our advice was to back up before the migration. He said no, we lost the orders "
            "table, and he blames us.",
        ],
        "hu": [
            "Nem akart mentést, mert drága. Meghalt a szerver, hajnali kettőkor hívott.",
            "A könyvelőnk jelezte, hogy a levonás nem fog megállni. Ennek ellenére elszámolta, "
            "jött a NAV levele, és szerinte nekünk kellett volna megállítanunk.",
            "Megmondtuk, hogy a régi vezetéket a csempézés előtt ki kell cserélni. Nem akart "
            "fizetni érte. Most hiba van az új csempe mögött, és ingyen bontassuk ki a falat.",
            "A fordítónk tanácsa ellenére ingyenes online eszközzel készítette a német "
            "változatot, a partner félreértett egy pontot, és minket hibáztat.",
            "Azt javasoltuk, tartsa meg a régi domain átirányításait. Törölte őket. Eltűnt a "
            "helyezés, és állítólag nekünk kell rendbe tenni.",
            "Könyörögtem, hogy terheléses teszt nélkül ne induljanak Black Fridayen. "
            "Elindultak. Összeomlott az oldal, a vezérigazgató ránk dühös.",
            "nem nezte meg a szinproofot, kinyomtatott 5000 brossurat, rosszak a szinek, "
            "ujranyomast ker a mi koltsegunkre",
            "Felülbírálta a statikusunkat és kiverte a falat. Most repedés van a plafonon, és "
            "nekünk kellene megjavítani.",
            "Jelszókezelőt javasoltunk, ő maradt a cetliknél. Feltörték a fiókját, most azt "
            "kéri, ma éjjel állítsunk vissza mindent.",
        ],
        "fi": [
            "ei halunnut varmuuskopioita kun ne maksaa. palvelin hajosi, soitti yöllä",
            "Hakukoneneuvomme menivät roskiin, liikenne romahti ja nyt hän odottaa ihmettä.",
            "Kirjanpitäjämme huomautti, ettei vähennys kestä. Hän teki sen kuitenkin, "
            "verottajan kirje tuli ja hänen mielestään meidän olisi pitänyt estää.",
            "Sanoimme, että vanhat sähköjohdot on uusittava ennen laatoitusta. Hän kieltäytyi "
            "maksamasta. Nyt uusien laattojen takana on vika ja hän haluaa, että avaamme "
            "seinän ilmaiseksi.",
            "Anelin, ettei julkaista Black Fridayna ilman kuormitustestiä. He julkaisivat. "
            "Sivu kaatui ja toimitusjohtaja raivoaa meille.",
            "ei katsonut lähettämäämme värivedosta, painatti 5000 esitettä, värit pielessä, "
            "haluaa uusintapainoksen meidän laskuun",
            "Neuvoimme salasanojen hallintaohjelmaa, hän jatkoi lapuilla. Tili kaapattiin, nyt "
            "hän haluaa, että palautamme kaiken tänä yönä.",
            "Kahdesta varoittavasta sähköpostistamme huolimatta hän käytti kuvapankin kuvaa "
            "mainostaululla. Toimisto lähetti laskun ja hän välitti sen meille.",
            "Suosittelimme pitämään varauslomakkeen yksinkertaisena; hän vaati kaksitoista "
            "kenttää. Varaukset puolittuivat ja nyt hän haluaa, että teemme sen uudelleen "
            "ilmaiseksi.",
        ],
        "lv": [
            "negribēja rezerves kopijas, jo dārgi. serveris nomira, zvanīja naktī",
            "Brīdinājām, ka spraudnis vairs netiek uzturēts. Viņi to paturēja, lapu uzlauza, "
            "tagad jāsatīra bez maksas.",
            "Mūsu grāmatvede norādīja, ka atskaitījums neizturēs pārbaudi. Viņš to tomēr "
            "iekļāva, atnāca VID vēstule, un viņš saka, ka mums vajadzēja viņu apturēt.",
            "Teicām, ka vecie vadi jānomaina pirms flīzēšanas. Viņš atteicās maksāt. Tagad aiz "
            "jaunajām flīzēm ir bojājums, un viņš grib, lai atveram sienu par brīvu.",
            "Ieteicām saglabāt vecos domēna pāradresējumus. Viņš tos izdzēsa. Pozīcijas "
            "pazuda, un it kā mums tagad jāsakopj.",
            "Lūdzos, lai nepalaiž Melnajā piektdienā bez slodzes testa. Palaida. Lapa nogāzās, "
            "un direktors ir nikns uz mums.",
            "nepaskatijas krasu provi, izdrukaja 5000 bukletus, krasas nepareizas, grib "
            "parpriedrukat uz musu rekina",
            "Viņš ignorēja mūsu konstruktoru un nojauca sienu. Tagad griestos ir plaisa, un "
            "mums tā esot jāsalabo.",
            "Ieteicām paroļu pārvaldnieku, viņš palika pie lapiņām. Kontu uzlauza, tagad grib, "
            "lai šonakt visu atjaunojam.",
            "Ieteicām rezervācijas formu saglabāt vienkāršu; viņš uzstāja uz divpadsmit "
            "laukiem. Rezervācijas samazinājās uz pusi, un tagad viņš grib, lai pārtaisām par "
            "brīvu.",
        ],
    },
    "dishonest": {
        "en": [
            "says the 3 extra pages were 'part of the package'. package = 5 pages, signed.",
            "He keeps telling everyone we promised unlimited revisions. We promised two.",
            "Told our accountant the payment was sent on Friday. Nothing arrived, bank "
            "confirms nothing was ever sent.",
            "She keeps telling us the previous translator did everything for half our price - "
            "she sent us that translator's invoice by mistake and it was the same rate.",
            "Denied ordering the rush delivery although his own email says 'go ahead with "
            "express'.",
            "backdated the approval in his reply to make it look like we were late. the "
            "timestamps say otherwise",
            "Says we promised the book would be in shops by Christmas. We said we'd deliver "
            "the files by October, which we did.",
            "He swears the extra rooms were in the original quote. They were added in March by "
            "phone, and he confirmed the extra price then.",
            "Wrote to the review site that we never turned up on the day. We have his "
            "signature on the delivery note.",
            "Keeps 'forgetting' the call where he agreed to the change fee, then remembers it "
            "when I send the minutes.",
        ],
        "hu": [
            "Mindenkinek azt mondja, hogy korlátlan javítást ígértünk. Kettőt ígértünk.",
            "A könyvelőnknek azt mondta, pénteken utalt. Semmi nem jött, a bank szerint el sem "
            "indult.",
            "Háromszor változtatta meg, hogy ki kérte az extra funkciót.",
            "Most azt mondja, az esküvői csomagban 'mindig' benne volt a második fotós. Az "
            "árlistánk és az aláírt foglalása szerint nem.",
            "Azt mondta a bankjának, hogy jóváhagytuk a költségvetési számokat. Sosem láttuk őket.",
            "Azt állítja, hogy az építésvezetőnk ingyen vállalta a fürdőszoba csempézését. Az "
            "építésvezető szerint ilyet nem mondott, és semmi sincs írásban.",
            "Folyton azt mondja, hogy az előző fordító feleannyiért mindent megcsinált, aztán "
            "véletlenül elküldte nekünk annak a számláját, és ugyanannyi volt a díj.",
            "visszadatálta a jóváhagyást a válaszában, hogy úgy tűnjön, mi késtünk. az "
            "időbélyegek mást mutatnak",
            "Azt mondja, megígértük, hogy karácsonyra a boltokban lesz a könyv. Mi októberre a "
            "fájlokat ígértük, és le is adtuk.",
            "Esküszik, hogy az extra szobák benne voltak az eredeti ajánlatban. Márciusban "
            "telefonon kerültek bele, és akkor el is fogadta a felárat.",
            "Azt írta az értékelő oldalra, hogy a megbeszélt napon meg sem jelentünk. A "
            "szállítólevélen ott az aláírása.",
            "Mindig 'elfelejti' a hívást, amelyben elfogadta a módosítási díjat, aztán amikor "
            "elküldöm az emlékeztetőt, hirtelen eszébe jut.",
        ],
        "fi": [
            "Kertoi esihenkilölleen, että me myöhästyimme, vaikka hän itse toimitti aineiston "
            "kolme viikkoa myöhässä.",
            "Sanoi kirjanpitäjällemme maksaneensa perjantaina. Mitään ei tullut, pankin mukaan "
            "maksua ei ole lähetetty.",
            "Hän väittää nyt, että hääpakettiin on 'aina' kuulunut toinen kuvaaja. Hinnastomme "
            "ja hänen allekirjoittamansa varaus sanovat muuta.",
            "Kertoi pankilleen, että olimme hyväksyneet budjettiluvut. Emme ole koskaan "
            "nähneet niitä.",
            "Kertoo jatkuvasti, että edellinen kääntäjä teki kaiken puoleen hintaan - lähetti "
            "meille vahingossa sen kääntäjän laskun, ja hinta oli sama.",
            "Kiisti tilanneensa pikatoimituksen, vaikka hänen oma sähköpostinsa sanoo "
            "'laittakaa pikana'.",
            "päivitti hyväksynnän päivämäärän taaksepäin vastauksessaan, jotta näyttäisi että "
            "me myöhästyimme. aikaleimat kertovat muuta",
            "Vannoo, että lisähuoneet olivat alkuperäisessä tarjouksessa. Ne lisättiin "
            "maaliskuussa puhelimessa, ja hän hyväksyi silloin lisähinnan.",
            "Kirjoitti arvostelusivustolle, ettemme tulleet paikalle sovittuna päivänä. Meillä "
            "on hänen allekirjoituksensa lähetteessä.",
            "Unohtaa aina sen puhelun, jossa hän hyväksyi muutosmaksun, ja muistaa sen heti "
            "kun lähetän muistion.",
        ],
        "lv": [
            "Savam priekšniekam teica, ka mēs nokavējām, lai gan viņa pati atsūtīja materiālus "
            "trīs nedēļas vēlāk.",
            "Mūsu grāmatvedei teica, ka samaksājis piektdien. Nekas nav pienācis, banka saka, "
            "ka maksājums nav nosūtīts.",
            "Apgalvo, ka mūsu būvdarbu vadītājs apsolīja bez maksas noflīzēt vannas istabu. "
            "Vadītājs saka, ka neko tādu nav teicis, un nekas nav rakstiski.",
            "Visu laiku stāsta, ka iepriekšējais tulkotājs visu izdarīja par pusi lētāk - pēc "
            "kļūdas atsūtīja mums tā tulkotāja rēķinu, un likme bija tāda pati.",
            "Noliedza, ka pasūtījis steidzamo piegādi, lai gan viņa paša e-pastā rakstīts "
            "'sūtiet ar ekspresi'.",
            "atbildē atpakaļdatēja apstiprinājumu, lai izskatītos, ka mēs kavējām. laika "
            "zīmogi rāda citu",
            "Zvēr, ka papildu istabas bija sākotnējā piedāvājumā. Tās pievienoja martā pa "
            "telefonu, un viņš toreiz piekrita piemaksai.",
            "Uzrakstīja atsauksmju vietnē, ka mēs norunātajā dienā neieradāmies. Mums ir viņa "
            "paraksts uz pavadzīmes.",
            "Vienmēr 'aizmirst' zvanu, kurā piekrita izmaiņu maksai, un atceras to tikai tad, "
            "kad nosūtu protokolu.",
        ],
    },
    "demoralizes_team": {
        "en": [
            "Anna asked me, half joking, if she could take sick leave every Thursday (his "
            "weekly call).",
            "Nobody raised their hand when I asked who takes the Q1 work for them.",
            "two devs told me they'll look for another job if we renew",
            "Lisa (translator) told me she'll stop taking our work if his jobs keep landing on "
            "her.",
            "The foreman asked me to go to his site visits myself, the crew won't work while "
            "he's there.",
            "After three months with them our junior has lost all confidence, second-guesses "
            "every file now.",
            "Photographer came back from the shoot and said never again, she'd rather do "
            "weddings for free.",
            "Honestly the whole studio goes quiet when he walks in. People find reasons to "
            "leave the room.",
            "Two sick days in the team the week after his workshop. Coincidence? Peter says no.",
            "We lost a good freelancer over this account, she said working on it made her hate "
            "the job.",
            "After every call with him our designer needs half an hour to calm down; she asked "
            "me to take the calls instead.",
        ],
        "hu": [
            "Anna félig viccből megkérdezte, kivehet-e betegszabadságot minden csütörtökön "
            "(akkor van a heti hívás vele).",
            "Lili (fordító) szólt, hogy nem vállal több munkát tőlünk, ha az ő anyagai "
            "továbbra is hozzá kerülnek.",
            "Az építésvezető megkérte, hogy a bejárásaira én menjek, mert amíg ő ott van, a "
            "brigád nem dolgozik.",
            "Három hónap után velük a juniorunk teljesen elvesztette az önbizalmát, most "
            "minden fájlt kétszer ellenőriz.",
            "A fotós visszajött a fotózásról, és azt mondta, soha többet, inkább ingyen fotóz "
            "esküvőt.",
            "A könyvelők húzással döntik el, kinek kell visszahívnia.",
            "Őszintén, az egész iroda elhallgat, amikor belép. Mindenki talál okot, hogy kimenjen.",
            "A workshopja utáni héten ketten is betegszabadságon voltak. Véletlen? Péter "
            "szerint nem.",
            "mindenki ki van stresszelve emiatt az ügyfél miatt, a határidői előtt senki sem "
            "alszik",
            "Minden vele folytatott hívás után a grafikusunknak fél óra kell, hogy "
            "megnyugodjon; megkért, hogy inkább én vegyem fel.",
        ],
        "fi": [
            "Anna kysyi puoliksi leikillään, voisiko hän olla sairaslomalla joka torstai "
            "(silloin on viikkopuhelu hänen kanssaan).",
            "Liisa (kääntäjä) sanoi lopettavansa työt meille, jos hänen käännöksensä "
            "jatkossakin tulevat hänelle.",
            "Työnjohtaja pyysi minua menemään hänen työmaakäynneilleen itse, porukka ei tee "
            "töitä kun hän on paikalla.",
            "Kolmen kuukauden jälkeen heidän kanssaan juniorimme on menettänyt kaiken "
            "itseluottamuksensa ja epäilee nyt jokaista tiedostoa.",
            "Kuvaaja palasi kuvauksista ja sanoi, ettei enää koskaan, hän kuvaisi mieluummin "
            "häitä ilmaiseksi.",
            "Kirjanpitotiimi arpoo, kenen pitää soittaa hänelle takaisin.",
            "Rehellisesti koko studio hiljenee, kun hän tulee sisään. Ihmiset keksivät syitä "
            "poistua huoneesta.",
            "Tiimissä kaksi sairauspäivää hänen työpajaansa seuranneella viikolla. Sattumaa? "
            "Pekan mielestä ei.",
            "kaikki on ihan stressissä tämän asiakkaan takia, kukaan ei nuku ennen hänen "
            "deadlinejaan",
            "Anna purskahti itkuun keittiössä hänen puhelunsa jälkeen.",
            "Jokaisen hänen kanssaan käydyn puhelun jälkeen suunnittelijamme tarvitsee puoli "
            "tuntia rauhoittuakseen; hän pyysi, että minä hoidan puhelut.",
        ],
        "lv": [
            "Anna pa pusei jokojot jautāja, vai var ņemt slimības lapu katru ceturtdienu (tad "
            "ir iknedēļas zvans ar viņu).",
            "divi izstrādātāji teica ka meklēs citu darbu ja pagarināsim līgumu",
            "Līga (tulkotāja) teica, ka pārtrauks strādāt ar mums, ja viņa darbi turpinās "
            "nonākt pie viņas.",
            "Būvdarbu vadītājs palūdza, lai uz viņa objekta apskatēm braucu es pats, brigāde "
            "nestrādā, kamēr viņš ir klāt.",
            "Pēc trim mēnešiem ar viņiem mūsu jaunākais kolēģis ir zaudējis visu "
            "pašpārliecību, tagad pārbauda katru failu divreiz.",
            "Fotogrāfe atgriezās no fotosesijas un teica, ka nekad vairs, labāk fotografēs "
            "kāzas par brīvu.",
            "Grāmatveži velk lozes, kuram jāzvana viņam atpakaļ.",
            "Godīgi sakot, visa studija apklust, kad viņš ienāk. Cilvēki atrod iemeslus iziet "
            "no telpas.",
            "Komandā divas slimības dienas nedēļā pēc viņa darbnīcas. Sakritība? Pēteris saka, "
            "ka nē.",
            "visi ir pilnīgā stresā šī klienta dēļ, pirms viņa termiņiem neviens neguļ",
            "Šī klienta dēļ zaudējām labu ārštata darbinieci, viņa teica, ka darbs pie tā lika "
            "viņai ienīst savu profesiju.",
            "Pēc katra zvana ar viņu mūsu dizainerei vajag pusstundu, lai nomierinātos; viņa "
            "palūdza, lai zvanus pieņemu es.",
        ],
    },
    "gut_feeling": {
        "lv": [
            "iekšēji saku nē. pierādījumu vēl nav",
            "Avansu samaksāja skaidrā naudā no aploksnes un neprasīja čeku. Man nepatīk, kurp "
            "tas virzās.",
            "Jau trešo reizi viņš maina uzņēmuma nosaukumu līgumā. Man kaut kas nesaskan.",
            "Pa telefonu jauks, bet pieķeru sevi, ka pārbaudu visu, ko viņš sūta. Nav laba zīme.",
            "Negribētu palikt ar viņu divatā sanāksmē. Labāk to paskaidrot nevaru.",
            "Īsti neticu stāstam par investoru. Turēsim projektu mazu.",
            "Kaut kas man saka, ka tas beigsies slikti.",
        ],
        "en": [
            "Paid the deposit in cash from an envelope and asked for no receipt. I don't like "
            "where this is going.",
            "Third time he's changed the company name on the contract. Something is not adding "
            "up for me.",
            "Lovely on the phone, but I find myself double-checking everything he sends. Not a "
            "good sign.",
            "I'd rather not be alone in a meeting with him. Can't explain it better than that.",
            "My alarm went off the moment he asked whether we 'need' to register the job.",
            "Don't quite buy the story about the investor. Let's keep the project small.",
            "Something tells me this one will end badly.",
        ],
        "hu": [
            "Készpénzben fizette az előleget egy borítékból, és nem kért számlát. Nem tetszik, "
            "merre tart ez.",
            "Harmadszor változtatta meg a cégnevet a szerződésen. Nekem valami nem áll össze.",
            "Telefonon kedves, de azon kapom magam, hogy mindent kétszer ellenőrzök, amit "
            "küld. Nem jó jel.",
            "Nem szívesen maradnék vele kettesben egy megbeszélésen. Ennél jobban nem tudom "
            "megmagyarázni.",
            "Nem igazán veszem be a befektetős sztorit. Tartsuk kicsiben a projektet.",
            "Valami azt súgja, hogy ez rosszul fog végződni.",
            "Csak megérzés, de a második szakaszt nem kezdeném el, amíg az első számla nincs "
            "kifizetve.",
        ],
        "fi": [
            "Maksoi ennakon käteisellä kirjekuoresta eikä halunnut kuittia. En pidä siitä, "
            "mihin tämä on menossa.",
            "Puhelimessa mukava, mutta huomaan tarkistavani kaiken, mitä hän lähettää. Ei hyvä "
            "merkki.",
            "En haluaisi olla kahden kesken palaverissa hänen kanssaan. En osaa selittää sitä "
            "paremmin.",
            "En oikein niele tarinaa sijoittajasta. Pidetään projekti pienenä.",
            "Jokin sanoo minulle, että tämä päättyy huonosti.",
            "Pelkkä aavistus, mutta en aloittaisi toista vaihetta ennen kuin ensimmäinen lasku "
            "on maksettu.",
        ],
    },
}

EVERYDAY = [
    "Kick-off call went well, next review on Tuesday.",
    "Sent the final logo files, invoice to follow.",
    "Megbeszéltük a következő sprintet, jövő héten demo.",
    "Asiakas pyysi tarjousta uudesta verkkokaupasta.",
    "Klients apstiprināja maketu, sākam izstrādi.",
    "He asked how we would handle the migration; I sent a plan.",
    "Tervezés rendben, a csapat jövő héten kezdi a fejlesztést.",
    "Palaveri siirtyi torstaille, Anna hoitaa muistion.",
    "Shoot moved to Saturday at his request, no problem.",
    "Translation delivered, he asked for a glossary next time.",
    "Csempézés kész, jövő héten jön a festő.",
    "Könyvelés: a negyedéves bevallás beadva.",
    "Valokuvat toimitettu, asiakas tilasi lisää printtejä.",
    "Remontti etenee aikataulussa.",
    "Tulkojums nodots, klients pasūtīja vēl divus dokumentus.",
    "Būvdarbi rit pēc grafika, nākamnedēļ flīzēšana.",
    "Menu photos delivered, they chose six for the website.",
    "A nyitvatartási idő frissítve az oldalon.",
    "Tilaustaulun varmuuskopio otettu ennen päivitystä.",
    "Jaunā rezervācijas forma darbojas, klients apmierināts.",
]


def _cases(bank: dict, marks=()) -> list:
    return [
        pytest.param(tag, body, id=f"{tag}-{language}-{index}", marks=marks)
        for tag, languages in bank.items()
        for language, bodies in languages.items()
        for index, body in enumerate(bodies)
    ]


def _evaluate(clients, ruleset_name: str = "freelancer", folder: Path = RULESETS):
    ruleset = RulesetLibrary([folder], metric_units({})).load(ruleset_name)
    return {r.client.id: r for r in evaluate(clients, ruleset, SETTINGS, AS_OF, NOW).results}


@pytest.fixture(scope="module")
def tags_by_note() -> dict[str, list[str]]:
    """Evaluate every note of the banks as the only note of its own client, in one run."""
    bodies = sorted(
        {
            body
            for bank in (RAISES, QUIET, BEYOND_THE_LISTS)
            for languages in bank.values()
            for notes in languages.values()
            for body in notes
        }
        | set(EVERYDAY)
    )
    clients = [client(f"c-{i}", notes=[note("2026-11-10 10:00", b)]) for i, b in enumerate(bodies)]
    results = _evaluate(clients)
    return {body: results[f"c-{i}"].tags for i, body in enumerate(bodies)}


def test_the_banks_have_every_tag_in_every_language():
    for bank, least in ((RAISES, 5), (QUIET, 7)):
        for tag in TAGS:
            for language in ("en", "hu", "fi", "lv"):
                assert len(bank[tag][language]) >= least, (tag, language)


@pytest.mark.parametrize("tag, body", _cases(RAISES))
def test_a_note_describing_the_behaviour_raises_its_tag(tags_by_note, tag, body):
    assert tag in tags_by_note[body], f"{tag} not raised by {body!r}"


@pytest.mark.parametrize("tag, body", _cases(QUIET))
def test_a_note_that_only_looks_like_it_does_not(tags_by_note, tag, body):
    assert tag not in tags_by_note[body], f"{tag} raised by {body!r}"


@pytest.mark.parametrize("body", EVERYDAY)
def test_an_everyday_note_raises_none_of_the_five(tags_by_note, body):
    assert not set(tags_by_note[body]) & set(TAGS), tags_by_note[body]


@pytest.mark.parametrize(
    "tag, body",
    _cases(BEYOND_THE_LISTS, pytest.mark.xfail(reason="told by its consequences", strict=False)),
)
def test_behaviour_told_by_its_consequences(tags_by_note, tag, body):
    assert tag in tags_by_note[body]


# ----- a marked note lasts as long as the words of its behaviour ---------------------------


@pytest.mark.parametrize(
    "marker, tag, when",
    [
        ("threat", "abusive", "2026-06-15 10:00"),
        ("disrespect", "disrespectful", "2026-04-02 10:00"),
        ("advice_ignored", "ignores_advice", "2026-03-01 10:00"),
        ("agreement_disputed", "dishonest", "2026-01-10 10:00"),
    ],
)
def test_a_marked_note_of_spring_still_counts_in_november(marker, tag, when):
    results = _evaluate([client("c-1", notes=[note(when, "Meeting notes.", marker)])])
    assert tag in results["c-1"].tags
    if tag == "abusive":
        assert LEVELS.index(results["c-1"].level) >= LEVELS.index("warning")


def test_a_marked_threat_of_more_than_a_year_ago_is_gone():
    results = _evaluate([client("c-1", notes=[note("2025-11-01 10:00", "Call.", "threat")])])
    assert results["c-1"].tags == []


def test_without_a_list_of_its_behaviour_a_marker_keeps_the_activity_window(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "rules:\n  - id: marked\n    tag: abusive\n    weight: 6\n    when: notes_threat >= 1\n",
        encoding="utf-8",
    )
    recent = note("2026-10-01 10:00", "Call.", "threat")
    spring = note("2026-05-01 10:00", "Call.", "threat")
    results = _evaluate(
        [client("c-1", notes=[recent]), client("c-2", notes=[spring])], "mine", tmp_path
    )
    assert results["c-1"].tags == ["abusive"]
    assert results["c-2"].tags == []
