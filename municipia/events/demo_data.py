"""The two seed events of the demo, transcribed from the public pages in
``shared/seeds`` (the demo must run from the repository alone, so nothing is
read from there at run time).

* CEMR Strategic Retreat, Fira Barcelona Gran Via, 5–7 November 2024: the
  published programme as it stands, with its rooms, its "(tbc)" times and
  places and the reception "open to principals and mayors only". The page gives
  no end time for the first reception: two hours are assumed, and the time is
  marked tbc as the page marks it.
* UCLG Seminar & Campus ("Séminaire et Campus de CGLU"), online, 15–22 February
  2021, in French as published: six days with their themes, plenaries, breakout
  sessions and regional sessions, with the speakers the report quotes in the
  role it gives them. The report gives no times and no virtual rooms: the
  sessions are laid out in the order it reports them, in Barcelona afternoon
  time (the World Secretariat's), and every time is marked tbc. Obvious typos of
  the page are corrected ("por" for "pour" in two day themes, "Mèner").

Times are local wall-clock times of the event's time zone ("HH:MM"); the demo
loader makes them aware. Tracks are codes of the taxonomy's themes.
"""

# ---------------------------------------------------------------- CEMR retreat

CEMR_RETREAT = {
    "slug": "cemr-strategic-retreat-2024",
    "title": "CEMR Strategic Retreat",
    "kind": "retreat",
    "format": "in_person",
    "venue_name": "Fira Barcelona Gran Via",
    "address": "",
    "city": "Barcelona",
    "country": "ES",
    "time_zone": "Europe/Madrid",
    "starts_on": "2024-11-05",
    "ends_on": "2024-11-07",
    "languages": ["en"],
    "content_language": "en",
    "organisers": ["cemr"],
    "description": (
        "The CEMR Strategic Retreat is a biannual gathering where the CEMR community "
        "convenes to reflect, learn, and advance on the impact goals we have set for "
        "ourselves for 2030. Running alongside the Smart City Expo World Congress, this "
        "year's retreat will focus on a specific, long-term goal: how to tackle extremism "
        "and create inclusive, democratic, and trustworthy societies free from inequality "
        "and discrimination?\n\n"
        "Participants will engage in discussions and workshops to share insights and best "
        "practices for promoting equality and inclusion. This event provides unique "
        "opportunity for local and regional elected officials, policy makers, experts, and "
        "practitioners to come together and foster a collective commitment to building "
        "societies where everyone can thrive without fear of bias or exclusion."
    ),
    "contact_name": "Martin Revault",
    "contact_email": "martin.revault@ccre-cemr.org",
    "visibility": "public",
    "capacity": None,
    "requires_approval": False,
    "registration_fields": [
        "position",
        "organisation",
        "accessibility_needs",
        "dietary_needs",
        "consent",
    ],
    "days": [
        {"date": "2024-11-05", "theme": ""},
        {"date": "2024-11-06", "theme": ""},
        {"date": "2024-11-07", "theme": ""},
    ],
    "rooms": [
        {"name": "Orange Agora"},
        {"name": "Green Room"},
        {"name": "Area CC1 Room 1.4"},
        {"name": "Area CC1 Room 1.5"},
        {"name": "Barcelona City Hall", "is_outside_venue": True},
    ],
    "sessions": [
        {
            "key": "talent-hub",
            "date": "2024-11-05",
            "start": "10:45",
            "end": "11:30",
            "room": "Orange Agora",
            "kind": "side_event",
            "track": "capacity-building",
            "title": "Unlocking potential: The Talent HUB for cities and regions",
            "description": (
                "Launched in 2022 by CEMR in partnership with Eurocities, and UCLG, the "
                "Talent Hub is a unique and innovative initiative to attract, develop, and "
                "retain top talent in the field of local and regional governance. Join us "
                "for a 45-minute session to find out more!"
            ),
        },
        {
            "key": "gender-based-violence",
            "date": "2024-11-05",
            "start": "16:45",
            "end": "17:45",
            "room": "Green Room",
            "kind": "side_event",
            "track": "gender-equality",
            "title": "Local action for global impact: strategies to end gender-based violence",
            "description": (
                "Gender-based violence and inequality remain major challenges in "
                "communities across Europe and beyond. This session will examine on the "
                "current state of gender equality and violence prevention at the local "
                "level, identify gaps in existing efforts, and discuss what more local "
                "political leaders can do to push the agenda forward."
            ),
        },
        {
            "key": "scewc-reception",
            "date": "2024-11-05",
            "start": "19:30",
            "end": "21:30",
            "time_tbc": True,
            "place_name": "Palacete Albéniz",
            "place_tbc": True,
            "kind": "reception",
            "audience": "principals",
            "title": "Cocktail reception organised by the Smart City Expo World Congress",
            "description": "Open to principals and mayors only.",
        },
        {
            "key": "inclusive-societies",
            "date": "2024-11-06",
            "start": "09:30",
            "end": "17:30",
            "room": "Area CC1 Room 1.4",
            "kind": "plenary",
            "track": "governance-and-local-democracy",
            "title": (
                "Building inclusive, democratic, and trustworthy societies: addressing "
                "extremism, inequality, and discrimination"
            ),
            "description": (
                "In an evolving social and political landscape, creating inclusive, "
                "democratic and just societies is more important than ever. This one-day "
                "event, aimed at CEMR members and partner organisations, will focus on "
                "identifying key challenges and reflecting on solutions needed to build "
                "trustworthy and resilient communities across Europe.\n\n"
                "It will provide an opportunity to discuss the future orientation of CEMR's "
                "work on gender, with a focus on the European Charter for Equality of Women "
                "and Men in Local Life as a tool to promote gender equality in our "
                "territories. There will also be a specific focus on the European migration "
                "agenda, with the goal of identifying challenges and collective responses "
                "for local and regional governments.\n\n"
                "By the end of the day, through a series of interactive workshops and "
                "thematic sessions, participants will have a clearer understanding of how "
                "to advance gender equality and navigate the complexities of migration "
                "policy. The discussions will feed into CEMR's future work, ensuring that it "
                "continues to respond to current challenges while upholding the principles "
                "of inclusivity and equality."
            ),
        },
        {
            "key": "cemr-reception",
            "date": "2024-11-06",
            "start": "19:00",
            "end": "21:00",
            "time_tbc": True,
            "room": "Barcelona City Hall",
            "kind": "reception",
            "audience": "registered",
            "title": "Cocktail Reception organised by CEMR",
            "description": "Open to all participants to the CEMR Strategic Retreat.",
        },
        {
            "key": "core-values",
            "date": "2024-11-07",
            "start": "09:30",
            "end": "12:30",
            "room": "Area CC1 Room 1.5",
            "kind": "workshop",
            "track": "global-action",
            "title": (
                "Advancing democracy, inclusion, and freedom: strategies for promoting core "
                "values globally"
            ),
            "description": (
                "In the context of a shifting geopolitical landscape, global events are "
                "impacting core values of democracy, inclusion and freedom. Building on the "
                "European action paper, this session will provide an opportunity for UCLG's "
                "European members to discuss and reflect on actions and strategies to "
                "strengthen these values on the international stage."
            ),
        },
        {
            "key": "collective-intelligence",
            "date": "2024-11-07",
            "start": "13:05",
            "end": "13:25",
            "room": "Green Room",
            "kind": "plenary",
            "title": "Leveraging collective intelligence for local solutions: a CEMR perspective",
            "description": (
                "Building on the key takeaways from the discussions held during the "
                "Strategic Retreat, join us for a discussion where the CEMR Secretary "
                "General will share his thoughts on the next steps for our organisation in "
                "the coming months!"
            ),
        },
    ],
}

# ---------------------------------------------------------------- UCLG seminar

SAIZ = ("Emilia Saiz", "Secrétaire générale de CGLU")

# Breakout rooms of the online seminar; the report names none, so they are
# numbered, as video-conference breakout rooms are.
UCLG_ROOMS = [
    {"name": "Plénière"},
    {"name": "Salle de groupe 1"},
    {"name": "Salle de groupe 2"},
    {"name": "Salle de groupe 3"},
    {"name": "Salle de groupe 4"},
    {"name": "Salle de groupe 5"},
]


def _breakouts(day: str, start: str, end: str, sessions: list[dict]) -> list[dict]:
    """Parallel breakout sessions of one slot, one per breakout room."""
    return [
        {
            "date": day,
            "start": start,
            "end": end,
            "room": f"Salle de groupe {number}",
            "kind": "breakout",
            **session,
        }
        for number, session in enumerate(sessions, start=1)
    ]


UCLG_SEMINAR = {
    "slug": "uclg-seminar-campus-2021",
    "title": "Séminaire et Campus de CGLU – Une communauté qui prend soin",
    "kind": "seminar",
    "format": "online",
    "venue_name": "",
    "address": "",
    "city": "",
    "country": "",
    "time_zone": "Europe/Madrid",
    "starts_on": "2021-02-15",
    "ends_on": "2021-02-22",
    "languages": ["fr", "en", "es"],
    "content_language": "fr",
    "organisers": ["uclg"],
    "description": (
        "La 7e édition du Séminaire & Campus de CGLU a eu lieu du 15 au 22 février 2021. "
        "Le Séminaire a été consacré à mettre en évidence comment CGLU est une communauté "
        "mondiale qui prend soin, à discuter de la façon de capitaliser sur cette fenêtre "
        "d'opportunité, à échanger sur la façon dont nos communautés travaillent pour les "
        "personnes, pour la planète, pour le gouvernement et pour l'avenir. Pour la "
        "première fois, le Séminaire de CGLU a été une expérience véritablement mondiale, "
        "visant à tirer le meilleur parti de cet environnement virtuel et à souligner la "
        "proximité du réseau.\n\n"
        "Plus de 250 villes, plus de 600 participant·e·s et plus de 3000 clics sur la "
        "plateforme #UCLGMeets."
    ),
    "contact_name": "",
    "contact_email": "",
    "visibility": "public",
    "capacity": None,
    "requires_approval": False,
    "registration_fields": ["position", "organisation", "accessibility_needs", "consent"],
    "time_tbc": True,
    "days": [
        {"date": "2021-02-15", "theme": "Fenêtre d'opportunité de CGLU"},
        {"date": "2021-02-16", "theme": "Travailler pour les personnes"},
        {"date": "2021-02-17", "theme": "Travailler pour la planète"},
        {"date": "2021-02-18", "theme": "Travailler pour le gouvernement"},
        {"date": "2021-02-19", "theme": "Renforcer le pacte pour l'avenir"},
        {"date": "2021-02-22", "theme": "Mener la transformation"},
    ],
    "rooms": UCLG_ROOMS,
    "sessions": [
        # -- Jour 1: Fenêtre d'opportunité de CGLU
        {
            "key": "ouverture",
            "date": "2021-02-15",
            "start": "13:00",
            "end": "14:00",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Ouverture : la maison mondiale ouvre ses fenêtres",
            "description": (
                "Les domaines de travail partagent ce qui se passera pendant l'année : "
                "Travailler l'apprentissage, le plaidoyer et la recherche avec CGLU. CGLU TV "
                "et le bureau d'assistance accompagnent le Séminaire."
            ),
            "people": [SAIZ],
        },
        {
            "key": "reunion-secretariats",
            "date": "2021-02-15",
            "start": "14:00",
            "end": "15:00",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Première réunion de tous les Secrétariats de CGLU",
            "description": (
                "Les représentant·e·s de chacune des sections régionales disent ce que CGLU "
                "signifie pour elles et eux et ce qu'est « une communauté mondiale qui prend "
                "soin ». Les membres de la Présidence donnent leur avis sur les priorités."
            ),
            "people": [("Berry Vrbanovic", "Trésorier de CGLU")],
        },
        {
            "key": "metropolis-regions",
            "date": "2021-02-15",
            "start": "15:00",
            "end": "16:00",
            "room": "Plénière",
            "kind": "plenary",
            "track": "territorial-development",
            "title": "Sections régionales : Metropolis et Forum des Régions",
            "description": (
                "Metropolis présente son plan d'action stratégique 2021-2023 ; le Forum des "
                "Régions examine la coopération entre sphères de gouvernement et la "
                "symbiose entre espaces ruraux et urbains."
            ),
            "people": [
                ("Octavi de la Varga", "Secrétaire général de Metropolis"),
                ("Antònia Sabartés", "Coordinatrice du Forum des Régions"),
            ],
        },
        {
            "key": "hommage-topbas",
            "date": "2021-02-15",
            "start": "16:00",
            "end": "16:30",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Hommage au Maire Kadir Topbaş",
            "description": (
                "Souvenir de l'ancien maire d'Istanbul et président de CGLU, champion du "
                "mouvement municipal."
            ),
            "people": [("Mehmet Duman", "Secrétaire général de CGLU-MEWA")],
        },
        # -- Jour 2: Travailler pour les personnes
        # The Campus opened on day 2 ("demain avec le Campus CGLU", says day 1).
        {
            "key": "campus",
            "date": "2021-02-16",
            "start": "12:00",
            "end": "13:00",
            "room": "Plénière",
            "kind": "training",
            "track": "capacity-building",
            "title": "Campus CGLU",
        },
        {
            "key": "afrique",
            "date": "2021-02-16",
            "start": "13:00",
            "end": "14:00",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Sections régionales : priorités de CGLU-Afrique",
            "description": (
                "Priorités pour l'année, préparation d'Africités et renouvellement des "
                "priorités stratégiques pour faire de CGLU-Afrique un « guichet unique » "
                "pour l'Afrique locale sur la décennie 2021-2030."
            ),
            "people": [("Jean-Pierre Elong Mbassi", "Secrétaire général de CGLU-Afrique")],
        },
        {
            "key": "cities-are-listening",
            "date": "2021-02-16",
            "start": "14:00",
            "end": "15:00",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Plénière #CitiesAreListening : prendre soin",
            "description": (
                "Les priorités de l'expérience #CitiesAreListening, élément clé de l'axe "
                "« Gens » du Pacte pour le futur, avec nos partenaires de la société civile."
            ),
            "people": [
                (
                    "Alexandre Apsan Frediani",
                    "Chercheur principal, Institut international pour l'environnement et le "
                    "développement (IIED)",
                ),
            ],
        },
        *_breakouts(
            "2021-02-16",
            "15:00",
            "16:00",
            [
                {
                    "key": "lampedusa",
                    "track": "migration-and-inclusion",
                    "title": "La Charte de Lampedusa et la migration",
                },
                {
                    "key": "cib",
                    "track": "global-action",
                    "title": "Repenser la coopération au développement (groupe de travail CIB)",
                },
                {
                    "key": "generation-egalite",
                    "track": "gender-equality",
                    "title": "Génération égalité : pour un municipalisme féministe",
                },
                {
                    "key": "droits-numeriques",
                    "track": "digital",
                    "title": "Droits numériques : la Coalition des villes pour les droits "
                    "numériques",
                },
                {
                    "key": "accessibilite",
                    "track": "migration-and-inclusion",
                    "title": "Accessibilité : soutenir les personnes en situation de handicap",
                },
            ],
        ),
        {
            "key": "bilan-personnes",
            "date": "2021-02-16",
            "start": "16:00",
            "end": "16:30",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Plénière de bilan des sessions en groupe",
        },
        {
            "key": "plaidoyer",
            "date": "2021-02-16",
            "start": "16:30",
            "end": "17:30",
            "room": "Plénière",
            "kind": "plenary",
            "track": "eu-dialogue",
            "title": "Travailler le plaidoyer avec CGLU",
            "description": (
                "Les avancées du travail avec la Global Task Force des gouvernements locaux "
                "et régionaux et la façon de renforcer le plaidoyer au sein de CGLU."
            ),
            "people": [
                ("Billy Cobbett", "Cities Alliance"),
                ("Iñaki Susaeta", "Secrétaire général, Régions4"),
                SAIZ,
            ],
        },
        # -- Jour 3: Travailler pour la planète
        {
            "key": "aspac",
            "date": "2021-02-17",
            "start": "13:00",
            "end": "14:00",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Sections régionales : priorités de CGLU-ASPAC",
            "description": (
                "Le Manifeste 2021-2025, les liens entre la relance et la localisation des "
                "ODD, et le projet des villes climatiques résilientes et inclusives."
            ),
            "people": [
                ("Bernadia Irawati", "Secrétaire générale de CGLU-ASPAC"),
                ("Madelaine Alfelor", "Maire d'Iriga, trésorière de CGLU"),
            ],
        },
        {
            "key": "ameriques",
            "date": "2021-02-17",
            "start": "14:00",
            "end": "15:00",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Sections régionales : priorités des Amériques",
            "people": [
                ("Johnny Araya", "Maire de San José, coprésident de CGLU"),
                ("Marcela Petrantonio", "Secrétaire des relations internationales"),
            ],
        },
        {
            "key": "vagues-action",
            "date": "2021-02-17",
            "start": "15:00",
            "end": "16:00",
            "room": "Plénière",
            "kind": "plenary",
            "track": "climate",
            "title": "Les prochaines Vagues d'action",
            "description": (
                "La suite des vagues d'action sur le logement, la migration et les finances "
                "locales, et la présentation du Congrès mondial de CGLU à Daejeon."
            ),
            "people": [
                ("Edgar Pieterse", ""),
                ("Mark Watts", "C40"),
                ("Corinne Lepage", "Ancienne ministre de l'environnement (France)"),
            ],
        },
        *_breakouts(
            "2021-02-17",
            "16:00",
            "17:00",
            [
                {
                    "key": "objectif-zero",
                    "track": "climate-and-energy",
                    "title": "L'objectif zéro et la résilience (GCoM)",
                },
                {
                    "key": "financement-local",
                    "track": "local-finances",
                    "title": "Localiser le financement de l'urbanisation durable",
                },
                {
                    "key": "culture-nature",
                    "track": "environmental-issues",
                    "title": "Les liens entre la culture et la nature",
                },
                {
                    "key": "securite-alimentaire",
                    "track": "environmental-issues",
                    "title": "La sécurité alimentaire",
                },
            ],
        ),
        {
            "key": "bilan-planete",
            "date": "2021-02-17",
            "start": "17:00",
            "end": "17:30",
            "room": "Plénière",
            "kind": "plenary",
            "track": "capacity-building",
            "title": "Plénière de bilan : le module de résilience de CGLU Learning",
        },
        # -- Jour 4: Travailler pour le gouvernement
        {
            "key": "revolution-numerique",
            "date": "2021-02-18",
            "start": "13:00",
            "end": "14:00",
            "room": "Plénière",
            "kind": "plenary",
            "track": "digital",
            "title": "La révolution numérique du mouvement municipal",
            "people": [SAIZ],
        },
        {
            "key": "gouvernance-urgence",
            "date": "2021-02-18",
            "start": "14:00",
            "end": "15:00",
            "room": "Plénière",
            "kind": "plenary",
            "track": "governance-and-local-democracy",
            "title": "Plénière : la gouvernance des situations d'urgence",
            "people": [
                (
                    "María Fernanda Espinosa",
                    "Présidente de la 73e Assemblée générale des Nations unies, membre du "
                    "conseil consultatif de CGLU UBUNTU",
                ),
                ("Philipp Rode", "Directeur exécutif, LSE Cities"),
                ("Jorge Pérez-Jaramillo", "Membre du conseil consultatif de CGLU UBUNTU"),
            ],
        },
        *_breakouts(
            "2021-02-18",
            "15:00",
            "16:00",
            [
                {
                    "key": "crises",
                    "track": "global-action",
                    "title": "Crises : le Fonds international de solidarité",
                },
                {
                    "key": "examens-infranationaux",
                    "track": "governance-and-local-democracy",
                    "title": "Les Examens volontaires infranationaux",
                },
                {
                    "key": "local4action",
                    "track": "global-action",
                    "title": "Les Local4Action Hubs",
                },
                {
                    "key": "rapporteurs-speciaux",
                    "track": "governance-and-local-democracy",
                    "title": "Rapporteurs spéciaux : droit à l'habitat et droit à la ville",
                },
            ],
        ),
        {
            "key": "bilan-gouvernement",
            "date": "2021-02-18",
            "start": "16:00",
            "end": "16:30",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Plénière de bilan des sessions en groupe",
        },
        {
            "key": "mewa",
            "date": "2021-02-18",
            "start": "16:30",
            "end": "17:15",
            "room": "Plénière",
            "kind": "plenary",
            "track": "migration-and-inclusion",
            "title": "Sections régionales : priorités de CGLU-MEWA",
            "people": [("Mohamed Saadie", "Co-président de CGLU-MEWA, vice-président de CGLU")],
        },
        {
            "key": "eurasie",
            "date": "2021-02-18",
            "start": "17:15",
            "end": "18:00",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Sections régionales : priorités de CGLU-Eurasie",
            "people": [("Rasikh Sagitov", "Secrétaire général de CGLU-Eurasie")],
        },
        {
            "key": "recherche",
            "date": "2021-02-18",
            "start": "18:00",
            "end": "19:00",
            "room": "Plénière",
            "kind": "plenary",
            "track": "research-and-studies",
            "title": "Travailler la recherche avec CGLU",
            "description": (
                "Le rapport GOLD VI, l'initiative Gouvernance de l'urgence avec Metropolis "
                "et LSE Cities, et la localisation des ODD dans le rapport au Forum "
                "politique de haut niveau."
            ),
            "people": [
                ("Caren Levy", "Chercheuse principale du projet KNOW, University College London"),
                ("Philipp Rode", "Directeur exécutif, LSE Cities"),
                ("Ana María Vargas", "Centre international pour la démocratie locale"),
            ],
        },
        # -- Jour 5: Renforcer le pacte pour l'avenir
        {
            "key": "global-taskforce",
            "date": "2021-02-19",
            "start": "13:00",
            "end": "15:00",
            "room": "Plénière",
            "kind": "plenary",
            "track": "global-action",
            "title": "Réunion annuelle de la Global Taskforce",
            "description": (
                "Plus de 200 participant·e·s de tous les réseaux de la Global Taskforce : "
                "feuille de route vers Habitat III+5, Urban 20, CSW65 et Sommet des Nations "
                "Unies sur les systèmes alimentaires ; accueil du Conseil des maires pour les "
                "migrations et du réseau des Villes résilientes."
            ),
            "people": [
                ("Gino Van Begin", "Secrétaire général d'ICLEI"),
                ("Greg Munro", "Secrétaire général de CLGF"),
                ("Billy Cobbett", "Directeur de Cities Alliance"),
                SAIZ,
                ("Eugene Zapata", "Réseau des Villes résilientes"),
                ("Kate Brick", "Directrice exécutive adjointe, MMC"),
            ],
        },
        {
            "key": "ccre",
            "date": "2021-02-19",
            "start": "15:00",
            "end": "16:00",
            "room": "Plénière",
            "kind": "plenary",
            "track": "eu-dialogue",
            "title": "Sections régionales : priorités du CCRE, section européenne",
            "description": "La stratégie du CCRE adoptée en janvier, pour ses 70 ans.",
            "people": [
                ("Carola Gunnarsson", "Vice-présidente de CGLU"),
                ("Fréderic Vallier", "Secrétaire général du CCRE"),
            ],
        },
        {
            "key": "apprentissage",
            "date": "2021-02-19",
            "start": "16:00",
            "end": "17:00",
            "room": "Plénière",
            "kind": "training",
            "track": "capacity-building",
            "title": "Travailler l'apprentissage avec CGLU",
            "description": (
                "La plateforme #LearningWithUCLG, les programmes de formation des formateurs "
                "et l'apprentissage entre pairs, avec la FEMP, la FAMSI et le groupe de "
                "travail CIB."
            ),
        },
        # -- Jour 6: Mener la transformation
        {
            "key": "presidence",
            "date": "2021-02-22",
            "start": "13:00",
            "end": "15:00",
            "room": "Plénière",
            "kind": "plenary",
            "title": "Réunion de la Présidence de CGLU",
            "description": (
                "CGLU, fer de lance de la transformation : les visions vers le Pacte pour "
                "l'avenir et le renouvellement des Priorités stratégiques en 2022."
            ),
        },
    ],
}

DEMO_EVENTS = [CEMR_RETREAT, UCLG_SEMINAR]
