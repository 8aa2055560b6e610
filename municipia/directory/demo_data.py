"""Hand-written demo profiles of the organisations that the source documents
(shared seeds) name, with the facts those documents give.

Everything here is demo content written for municipia: each description ends
with a note, in its own language, that says so. Challenges and expertise are
phrased from what the sources report (sessions, programmes, statements); no
figure or claim beyond them is added. People are only public figures named in
a public role by the sources, plus generated people with `@example.org`
addresses, marked as generated.

Geographic facts of places known to GeoNames are GeoNames' own (the same
values `import_places` loads), so that loading the places afterwards changes
nothing.
"""

GENERATED_NOTE = {
    "ca": "Perfil de demostració redactat per a municipia a partir d'informes públics "
    "d'esdeveniments; no és un text oficial de l'organització.",
    "de": "Demo-Profil, für municipia nach öffentlichen Veranstaltungsberichten verfasst; "
    "kein offizieller Text der Organisation.",
    "en": "Demo profile written for municipia from public event reports; not an official "
    "text of the organisation.",
    "fi": "Esittelyprofiili, kirjoitettu municipiaa varten julkisten tapahtumaraporttien "
    "pohjalta; ei organisaation virallinen teksti.",
    "it": "Profilo dimostrativo redatto per municipia sulla base di resoconti pubblici di "
    "eventi; non è un testo ufficiale dell'ente.",
    "lv": "Demonstrācijas profils, sagatavots municipia vajadzībām pēc publiskiem pasākumu "
    "pārskatiem; nav organizācijas oficiāls teksts.",
    "pl": "Profil demonstracyjny przygotowany dla municipia na podstawie publicznych relacji "
    "z wydarzeń; nie jest to oficjalny tekst organizacji.",
    "sv": "Demoprofil skriven för municipia utifrån offentliga evenemangsrapporter; ingen "
    "officiell text från organisationen.",
    "uk": "Демонстраційний профіль, підготовлений для municipia на основі публічних звітів "
    "про події; не є офіційним текстом організації.",
}
GENERATED_PERSON_TITLE = "Generated demo contact (not a real person)"

SCEWC_2025 = "Smart City Expo World Congress 2025"

PROFILES = [
    {
        "slug": "rgre",
        "name": "Rat der Gemeinden und Regionen Europas – Deutsche Sektion",
        "kind": "national_association",
        "country": "DE",
        "other_names": [
            ("en", "German Section of the Council of European Municipalities and Regions")
        ],
        "fields": {"working_languages": ["de", "en"]},
        "language": "de",
        "description": "Die Deutsche Sektion des Rates der Gemeinden und Regionen Europas (RGRE) "
        "ist der deutsche Mitgliedsverband des CEMR. Sie verbürgt sich im Verzeichnis für ihre "
        "Mitglieder unter den deutschen Städten, Gemeinden und Kreisen.",
        "associations": [],
    },
    {
        "slug": "koln",
        "name": "Köln",
        "kind": "municipality",
        "country": "DE",
        "geonames_id": 2886242,
        "fields": {
            "region_code": "DE.07",
            "region_name": "Nordrhein-Westfalen",
            "population": 1024621,
            "latitude": 50.93333,
            "longitude": 6.95,
            "working_languages": ["de", "en"],
            "partnership_interests": ["peer_learning", "thematic", "twinning"],
        },
        "other_names": [("en", "Cologne"), ("fr", "Cologne"), ("es", "Colonia"), ("it", "Colonia")],
        "language": "de",
        "description": "Köln macht digitale Rechte zu Alltagskompetenzen. Auf der "
        f"{SCEWC_2025} in Barcelona stellte die Stadt in der PLATFORMA-Sitzung „Click, Connect, "
        "Change“ ihre kreative Nutzung sozialer Medien für digitale Bürgerschaft vor.",
        "expertise": [
            {
                "title": "Kreative soziale Medien für digitale Bürgerschaft",
                "text": "Wie die Stadt soziale Medien kreativ einsetzt, damit sich junge Menschen, "
                "Frauen und alle Bürgerinnen und Bürger online sicher, gesehen und gehört fühlen. "
                f"Vorgestellt in der Sitzung „Click, Connect, Change“ ({SCEWC_2025}).",
                "language": "de",
                "themes": ["digital", "governance-and-local-democracy", "youth-engagement"],
                "sdgs": [10, 16],
            }
        ],
        "challenges": [
            {
                "title": "Digitale Bürgerschaftsbildung über Generationen hinweg",
                "text": "Wir suchen Partner, um digitale Bürgerschaftsbildung dort zu verankern, "
                "wo Demokratie beginnt: in Schulen, Jugendräten und Stadtteiltreffs.",
                "language": "de",
                "themes": ["digital", "youth-engagement", "gender-equality"],
                "sdgs": [4, 5, 16],
            }
        ],
        "verified": True,
        "generated_people": True,
        "associations": ["rgre"],
    },
    {
        "slug": "munchen",
        "name": "München",
        "kind": "municipality",
        "country": "DE",
        "geonames_id": 2867714,
        "fields": {
            "region_code": "DE.02",
            "region_name": "Bayern",
            "population": 1505005,
            "latitude": 48.13743,
            "longitude": 11.57549,
            "working_languages": ["de", "en"],
            "partnership_interests": ["peer_learning", "thematic"],
        },
        "other_names": [("en", "Munich"), ("it", "Monaco di Baviera"), ("fr", "Munich")],
        "language": "de",
        "description": "München erprobt generative KI, um Verwaltungsleistungen zu "
        "personalisieren und die datengestützte Planung zu verbessern. Die Stadt berichtete "
        f"darüber auf der {SCEWC_2025} in der Sitzung „European cities and GenAI“ mit "
        "Living in EU.",
        "expertise": [
            {
                "title": "Generative KI in der Stadtverwaltung erproben",
                "text": "Erfahrungen aus Pilotprojekten, in denen generative KI Leistungen für "
                "Bürgerinnen und Bürger persönlicher macht.",
                "language": "de",
                "themes": ["digital", "public-services"],
                "sdgs": [9, 16],
            }
        ],
        "challenges": [
            {
                "title": "Datengestützte Planung, die beim Menschen beginnt",
                "text": "Digitale Innovation muss beim Menschen beginnen und enden: Wir suchen "
                "Städte, die Daten und KI in der Stadtplanung nachvollziehbar einsetzen.",
                "language": "de",
                "themes": ["digital", "territorial-development"],
                "sdgs": [11],
            }
        ],
        "verified": True,
        "associations": ["rgre"],
    },
    {
        "slug": "espoo",
        "name": "Espoo",
        "kind": "municipality",
        "country": "FI",
        "geonames_id": 660158,
        "fields": {
            "region_code": "FI.01",
            "region_name": "Uusimaa",
            "population": 323910,
            "latitude": 60.2052,
            "longitude": 24.6522,
            "working_languages": ["fi", "sv", "en"],
            "partnership_interests": ["peer_learning", "thematic"],
        },
        "other_names": [("sv", "Esbo")],
        "language": "fi",
        "description": "Espoo kokeilee generatiivista tekoälyä palvelujen personoinnissa ja "
        f"datalähtöisen suunnittelun parantamisessa. Kaupunki esitteli työtään {SCEWC_2025} "
        "-tapahtumassa istunnossa ”European cities and GenAI” yhdessä Living in EU:n kanssa.",
        "expertise": [
            {
                "title": "Tekoälyllä personoidut kaupunkipalvelut",
                "text": "Kokemuksia generatiivisen tekoälyn kokeiluista asukaspalveluissa: mitä "
                "personointi edellyttää datalta, henkilöstöltä ja luottamukselta.",
                "language": "fi",
                "themes": ["digital", "public-services"],
                "sdgs": [9, 16],
            }
        ],
        "challenges": [
            {
                "title": "Keeping AI services human-centred",
                "text": "Digital innovation must start and end with people. We are looking for "
                "cities that evaluate their generative AI pilots together with residents.",
                "language": "en",
                "themes": ["digital", "governance-and-local-democracy", "research-and-studies"],
                "sdgs": [16],
            }
        ],
    },
    {
        "slug": "riga",
        "name": "Rīga",
        "kind": "municipality",
        "country": "LV",
        "geonames_id": 456172,
        "fields": {
            "region_code": "LV.25",
            "region_name": "Rīga",
            "population": 742572,
            "latitude": 56.946,
            "longitude": 24.10589,
            "working_languages": ["lv", "en"],
            "partnership_interests": ["peer_learning", "thematic"],
        },
        "other_names": [("en", "Riga"), ("ru", "Рига")],
        "language": "lv",
        "description": "Rīga testē ģeneratīvo mākslīgo intelektu, lai personalizētu pakalpojumus "
        f"un uzlabotu uz datiem balstītu plānošanu. Pieredze tika prezentēta {SCEWC_2025} "
        "sesijā “European cities and GenAI” kopā ar Living in EU.",
        "expertise": [
            {
                "title": "Uz datiem balstīta pilsētplānošana",
                "text": "Kā Rīga izmanto datus un ģeneratīvo mākslīgo intelektu pilsētas "
                "plānošanā un pakalpojumu uzlabošanā.",
                "language": "lv",
                "themes": ["digital", "territorial-development"],
                "sdgs": [11],
            }
        ],
        "challenges": [
            {
                "title": "Personalised public services with generative AI",
                "text": "We want to compare approaches with other cities that test generative AI "
                "in services for residents, including data protection and the skills of staff.",
                "language": "en",
                "themes": ["digital", "public-services", "local-government-as-employers"],
                "sdgs": [9, 16],
            }
        ],
    },
    {
        "slug": "goteborg",
        "name": "Göteborg",
        "kind": "municipality",
        "country": "SE",
        "geonames_id": 2711537,
        "fields": {
            "region_code": "SE.28",
            "region_name": "Västra Götalands län",
            "population": 608462,
            "latitude": 57.70716,
            "longitude": 11.96679,
            "working_languages": ["sv", "en"],
            "partnership_interests": ["peer_learning", "thematic"],
        },
        "other_names": [("en", "Gothenburg")],
        "language": "sv",
        "description": "Göteborg testar generativ AI för att anpassa tjänster efter invånarnas "
        f"behov och förbättra datadriven planering. Staden presenterade arbetet på {SCEWC_2025} "
        "i sessionen ”European cities and GenAI” tillsammans med Living in EU.",
        "expertise": [
            {
                "title": "Generativ AI i kommunala tjänster",
                "text": "Erfarenheter från försök där generativ AI gör stadens tjänster mer "
                "personliga för invånarna.",
                "language": "sv",
                "themes": ["digital", "public-services"],
                "sdgs": [9, 16],
            }
        ],
        "challenges": [
            {
                "title": "Datadriven planering med invånarna i centrum",
                "text": "Digital innovation ska börja och sluta med människor. Vi söker städer "
                "att utbyta erfarenheter med om data och AI i stadsplaneringen.",
                "language": "sv",
                "themes": ["digital", "territorial-development"],
                "sdgs": [11, 16],
            }
        ],
    },
    {
        "slug": "kutaisi",
        "name": "Kutaisi",
        "kind": "municipality",
        "country": "GE",
        "fields": {
            "region_name": "Imereti",
            "latitude": 42.2679,
            "longitude": 42.6946,
            "working_languages": ["ka", "en"],
            "partnership_interests": ["peer_learning", "twinning", "development_cooperation"],
        },
        "other_names": [("ka", "ქუთაისი")],
        "language": "en",
        "description": "Kutaisi runs inclusive digital literacy programmes so that digital rights "
        "become everyday skills for young people, women and every resident. The city presented "
        f"this work at PLATFORMA's session “Click, Connect, Change” at the {SCEWC_2025}.",
        "expertise": [
            {
                "title": "Inclusive digital literacy programmes",
                "text": "Programmes that create safe spaces, online and offline, where young "
                "people, women and every citizen feel seen, safe and heard.",
                "language": "en",
                "themes": ["digital", "youth-engagement", "gender-equality", "capacity-building"],
                "sdgs": [4, 5],
            }
        ],
        "challenges": [
            {
                "title": "Local democracy in the digital age",
                "text": "We look for partners in the EU and its eastern neighbourhood to build "
                "bridges between generations, genders and the digital and real worlds.",
                "language": "en",
                "themes": ["governance-and-local-democracy", "eastern-neighbourhood"],
                "sdgs": [16],
            }
        ],
    },
    {
        "slug": "mazowieckie",
        "name": "Województwo mazowieckie",
        "kind": "region",
        "country": "PL",
        "fields": {
            "region_code": "PL.78",
            "region_name": "Mazowieckie",
            # The seat of the regional government, in Warsaw.
            "latitude": 52.22977,
            "longitude": 21.01178,
            "working_languages": ["pl", "en"],
            "partnership_interests": ["thematic", "peer_learning", "solidarity"],
        },
        "other_names": [("en", "Masovian Voivodeship"), ("en", "Mazovia")],
        "language": "pl",
        "description": "Województwo mazowieckie korzysta z platformy CEMR do kojarzenia "
        f"partnerów. Na {SCEWC_2025} region był jednym z przykładów pokazujących, że "
        "współpraca nawiązana dzięki platformie przynosi realne efekty.",
        "expertise": [
            {
                "title": "Partnerstwa międzynarodowe regionu",
                "text": "Doświadczenie w nawiązywaniu współpracy z samorządami w Europie, od "
                "partnerstw po projekty tematyczne, z pomocą platformy CEMR.",
                "language": "pl",
                "themes": ["twinning-and-partnerships"],
                "sdgs": [17],
            }
        ],
        "challenges": [
            {
                "title": "Wspólne projekty europejskie",
                "text": "Szukamy partnerów do wspólnych projektów i wniosków o finansowanie "
                "z funduszy europejskich.",
                "language": "pl",
                "themes": ["external-funding", "territorial-development"],
                "sdgs": [11, 17],
            }
        ],
    },
    {
        "slug": "diputacio-de-barcelona",
        "name": "Diputació de Barcelona",
        "kind": "province",
        "country": "ES",
        "fields": {
            "region_code": "ES.56",
            "region_name": "Catalunya",
            "latitude": 41.38879,
            "longitude": 2.15899,
            "working_languages": ["ca", "es", "en"],
            "partnership_interests": ["thematic", "development_cooperation", "peer_learning"],
        },
        "other_names": [("es", "Diputación de Barcelona"), ("en", "Barcelona Provincial Council")],
        "language": "ca",
        "description": "La Diputació de Barcelona impulsa la cooperació entre governs locals. A "
        f"l'{SCEWC_2025} va ser un dels exemples de com la col·laboració a través de la "
        "plataforma de matchmaking del CEMR genera un impacte real.",
        "expertise": [
            {
                "title": "Cooperació entre governs locals",
                "text": "Acompanyament als municipis de la província per establir aliances amb "
                "ciutats i regions d'Europa i d'arreu del món.",
                "language": "ca",
                "themes": ["twinning-and-partnerships", "global-action", "capacity-building"],
                "sdgs": [17],
            }
        ],
        "challenges": [
            {
                "title": "Alianzas municipales con impacto",
                "text": "Buscamos socios para proyectos temáticos que conecten los municipios de "
                "la provincia con ciudades europeas que afrontan los mismos retos.",
                "language": "es",
                "themes": ["twinning-and-partnerships", "territorial-development"],
                "sdgs": [11, 17],
            }
        ],
    },
    {
        "slug": "pereshchepyne",
        "name": "Pereshchepyne",
        "kind": "municipality",
        "country": "UA",
        "geonames_id": 697671,
        "fields": {
            "region_code": "UA.04",
            "region_name": "Dnipropetrovska oblast",
            "population": 9720,
            "latitude": 49.02512,
            "longitude": 35.36885,
            "working_languages": ["uk", "en"],
            "partnership_interests": ["solidarity", "peer_learning", "twinning"],
        },
        "other_names": [("uk", "Перещепине")],
        "language": "uk",
        "description": "Громада Перещепине продовжує працювати в умовах війни: підтримує "
        "основні послуги, проводить реформи й закладає основи для відбудови. Міський голова "
        "Ярослав Цвіркун розповів про урядування у воєнний час на семінарі NALAS і PLATFORMA "
        "щодо Східного партнерства під час MARUF 2025 у Стамбулі.",
        "expertise": [
            {
                "title": "Урядування громади в умовах війни",
                "text": "Як зберігати основні послуги, прозорість і довіру мешканців під час "
                "війни; досвід реформ і децентралізації.",
                "language": "uk",
                "themes": ["governance-and-local-democracy", "public-services"],
                "sdgs": [16],
            }
        ],
        "challenges": [
            {
                "title": "Відбудова та солідарні партнерства",
                "text": "Шукаємо партнерів для обміну досвідом, відбудови та солідарних "
                "партнерств між громадами.",
                "language": "uk",
                "themes": [
                    "eastern-neighbourhood",
                    "twinning-and-partnerships",
                    "external-funding",
                ],
                "sdgs": [11, 16],
            }
        ],
        # A public figure named in a public role by the source; no contact details.
        "people": [
            {"name": "Yaroslav Tsvirkun", "position": "mayor_or_president", "title": "Mayor"},
        ],
    },
    {
        "slug": "lampedusa",
        "name": "Lampedusa e Linosa",
        "kind": "municipality",
        "country": "IT",
        "geonames_id": 2524459,
        "fields": {
            "region_code": "IT.15",
            "region_name": "Sicilia",
            "population": 4065,
            "latitude": 35.50142,
            "longitude": 12.60964,
            "working_languages": ["it", "en"],
            "partnership_interests": ["thematic", "peer_learning", "solidarity"],
        },
        "other_names": [("it", "Lampedusa")],
        "language": "it",
        "description": "Al seminario di CGLU del 2021 i rappresentanti di Lampedusa hanno "
        "sottolineato che la Carta di Lampedusa è un elemento essenziale per far avanzare la "
        "riflessione sulla migrazione.",
        "expertise": [
            {
                "title": "La Carta di Lampedusa",
                "text": "L'esperienza di un'isola di frontiera e la Carta di Lampedusa come "
                "riferimento per il dibattito sulla migrazione.",
                "language": "it",
                "themes": ["migration-and-inclusion", "global-action"],
                "sdgs": [10, 16],
            }
        ],
        "challenges": [
            {
                "title": "Una risposta comune alla migrazione",
                "text": "Cerchiamo enti locali con cui condividere pratiche di accoglienza e "
                "inclusione e portare la voce dei territori di frontiera nell'agenda europea.",
                "language": "it",
                "themes": ["migration-and-inclusion", "eu-dialogue"],
                "sdgs": [10],
            }
        ],
    },
]

# Generated people (not real): one who agreed to be listed and one who did not,
# to show the consent rule in the demo.
GENERATED_PEOPLE = [
    {
        "name": "Erika Mustermann",
        "position": "officer",
        "title": GENERATED_PERSON_TITLE,
        "email": "erika.mustermann@example.org",
        "consent": True,
    },
    {
        "name": "Max Mustermann",
        "position": "staff",
        "title": GENERATED_PERSON_TITLE,
        "email": "max.mustermann@example.org",
        "consent": False,
    },
]
