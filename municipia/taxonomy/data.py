"""The reference taxonomy: impact communities, working groups, cross-cutting groups and the
17 UN Sustainable Development Goals, with labels and descriptions in every interface language.

Plain data with no Django import, so the data migration can load it without pulling in models
that may change later. The communities and groups follow the network's own list (shared seed
003) in its order; two headings lost in that source ("Digital", "Eastern Neighbourhood") are
restored from their text. The SDG names and goal statements are the UN's official wording in
each language.
"""

from collections.abc import Iterator

LANGUAGES = ("en", "fr", "es", "de")

# Values of municipia.taxonomy.enums.ThemeKind, repeated here so this module stays import-free.
IMPACT_COMMUNITY = "impact_community"
WORKING_GROUP = "working_group"
CROSS_CUTTING_GROUP = "cross_cutting_group"

# Each community's label keeps the network's short name and its long title, in the source's
# "NAME — Title" form, so the community reads the same on a chip and on its page.
IMPACT_COMMUNITIES: list[dict] = [
    {
        "code": "climate",
        "labels": {
            "en": "Climate — Accelerating Climate and Energy Transformation",
            "fr": "Climat — Accélérer la transition climatique et énergétique",
            "es": "Clima — Acelerar la transformación climática y energética",
            "de": "Klima — Den Klima- und Energiewandel beschleunigen",
        },
        "descriptions": {
            "en": "Brings together the working groups on climate and energy, the environment, mobility and transport, and waste and the circular economy.",
            "fr": "Réunit les groupes de travail consacrés au climat et à l'énergie, à l'environnement, à la mobilité et aux transports, ainsi qu'aux déchets et à l'économie circulaire.",
            "es": "Reúne los grupos de trabajo sobre clima y energía, medio ambiente, movilidad y transporte, y residuos y economía circular.",
            "de": "Bündelt die Arbeitsgruppen zu Klima und Energie, Umwelt, Mobilität und Verkehr sowie Abfall und Kreislaufwirtschaft.",
        },
        "working_groups": [
            {
                "code": "climate-and-energy",
                "labels": {
                    "en": "Climate and Energy",
                    "fr": "Climat et énergie",
                    "es": "Clima y energía",
                    "de": "Klima und Energie",
                },
                "descriptions": {
                    "en": "Deals with climate strategies, energy efficiency and international climate negotiations.",
                    "fr": "Traite des stratégies climatiques, de l'efficacité énergétique et des négociations internationales sur le climat.",
                    "es": "Se ocupa de las estrategias climáticas, la eficiencia energética y las negociaciones internacionales sobre el clima.",
                    "de": "Befasst sich mit Klimastrategien, Energieeffizienz und internationalen Klimaverhandlungen.",
                },
            },
            {
                "code": "environmental-issues",
                "labels": {
                    "en": "Environmental Issues",
                    "fr": "Questions environnementales",
                    "es": "Cuestiones medioambientales",
                    "de": "Umweltfragen",
                },
                "descriptions": {
                    "en": "Addresses biodiversity, pollution and water management under the European Green Deal.",
                    "fr": "Traite de la biodiversité, de la pollution et de la gestion de l'eau dans le cadre du pacte vert pour l'Europe.",
                    "es": "Aborda la biodiversidad, la contaminación y la gestión del agua en el marco del Pacto Verde Europeo.",
                    "de": "Befasst sich mit Biodiversität, Umweltverschmutzung und Wasserwirtschaft im Rahmen des europäischen Grünen Deals.",
                },
            },
            {
                "code": "mobility-and-transport",
                "labels": {
                    "en": "Mobility and Transport",
                    "fr": "Mobilité et transports",
                    "es": "Movilidad y transporte",
                    "de": "Mobilität und Verkehr",
                },
                "descriptions": {
                    "en": "Works on better urban transport networks and follows the EU's mobility packages.",
                    "fr": "Œuvre à l'amélioration des réseaux de transport urbain et suit les paquets mobilité de l'UE.",
                    "es": "Trabaja para mejorar las redes de transporte urbano y sigue los paquetes de movilidad de la UE.",
                    "de": "Setzt sich für bessere städtische Verkehrsnetze ein und begleitet die Mobilitätspakete der EU.",
                },
            },
            {
                "code": "waste-and-circular-economy",
                "labels": {
                    "en": "Waste and Circular Economy",
                    "fr": "Déchets et économie circulaire",
                    "es": "Residuos y economía circular",
                    "de": "Abfall und Kreislaufwirtschaft",
                },
                "descriptions": {
                    "en": "Focuses on waste legislation and on promoting a circular economy.",
                    "fr": "Se consacre à la législation sur les déchets et à la promotion de l'économie circulaire.",
                    "es": "Se centra en la legislación sobre residuos y en el fomento de la economía circular.",
                    "de": "Konzentriert sich auf das Abfallrecht und die Förderung der Kreislaufwirtschaft.",
                },
            },
        ],
    },
    {
        "code": "labour",
        "labels": {
            "en": "Labour — Driving Digital and Employment Transformation",
            "fr": "Travail — Piloter la transformation numérique et de l'emploi",
            "es": "Trabajo — Impulsar la transformación digital y del empleo",
            "de": "Arbeit — Die digitale Transformation und den Wandel der Arbeitswelt vorantreiben",
        },
        "descriptions": {
            "en": "Brings together the working groups on digital transformation, local government as employers and public services.",
            "fr": "Réunit les groupes de travail consacrés au numérique, aux collectivités locales employeurs et aux services publics.",
            "es": "Reúne los grupos de trabajo sobre digitalización, los gobiernos locales como empleadores y los servicios públicos.",
            "de": "Bündelt die Arbeitsgruppen zu Digitalisierung, Kommunen als Arbeitgeber und öffentlichen Dienstleistungen.",
        },
        "working_groups": [
            {
                # The source lost this heading; its text (digital agendas, e-government, data
                # protection) is the network's Digital working group.
                "code": "digital",
                "labels": {
                    "en": "Digital",
                    "fr": "Numérique",
                    "es": "Digitalización",
                    "de": "Digitalisierung",
                },
                "descriptions": {
                    "en": "Promotes digital agendas, e-government and data protection.",
                    "fr": "Promeut les agendas numériques, l'administration électronique et la protection des données.",
                    "es": "Impulsa las agendas digitales, la administración electrónica y la protección de datos.",
                    "de": "Fördert digitale Agenden, E-Government und Datenschutz.",
                },
            },
            {
                "code": "local-government-as-employers",
                "labels": {
                    "en": "Local Government as Employers",
                    "fr": "Collectivités locales employeurs",
                    "es": "Gobiernos locales como empleadores",
                    "de": "Kommunen als Arbeitgeber",
                },
                "descriptions": {
                    "en": "Focuses on employment policies, working conditions and social dialogue.",
                    "fr": "Se consacre aux politiques de l'emploi, aux conditions de travail et au dialogue social.",
                    "es": "Se centra en las políticas de empleo, las condiciones de trabajo y el diálogo social.",
                    "de": "Befasst sich mit Beschäftigungspolitik, Arbeitsbedingungen und sozialem Dialog.",
                },
            },
            {
                "code": "public-services",
                "labels": {
                    "en": "Public Services",
                    "fr": "Services publics",
                    "es": "Servicios públicos",
                    "de": "Öffentliche Dienstleistungen",
                },
                "descriptions": {
                    "en": "Promotes efficient delivery of local public services and follows public procurement and international trade negotiations.",
                    "fr": "Promeut une prestation efficace des services publics locaux et suit les marchés publics et les négociations commerciales internationales.",
                    "es": "Promueve la prestación eficiente de los servicios públicos locales y sigue la contratación pública y las negociaciones comerciales internacionales.",
                    "de": "Setzt sich für eine effiziente Erbringung kommunaler öffentlicher Dienstleistungen ein und begleitet das öffentliche Auftragswesen und internationale Handelsverhandlungen.",
                },
            },
        ],
    },
    {
        "code": "cohesion",
        "labels": {
            "en": "Cohesion — Fostering Territorial Cohesion",
            "fr": "Cohésion — Favoriser la cohésion territoriale",
            "es": "Cohesión — Fomentar la cohesión territorial",
            "de": "Kohäsion — Den territorialen Zusammenhalt fördern",
        },
        "descriptions": {
            "en": "Brings together the working groups on local finances and territorial development.",
            "fr": "Réunit les groupes de travail consacrés aux finances locales et au développement territorial.",
            "es": "Reúne los grupos de trabajo sobre finanzas locales y desarrollo territorial.",
            "de": "Bündelt die Arbeitsgruppen zu Kommunalfinanzen und territorialer Entwicklung.",
        },
        "working_groups": [
            {
                "code": "local-finances",
                "labels": {
                    "en": "Local Finances",
                    "fr": "Finances locales",
                    "es": "Finanzas locales",
                    "de": "Kommunalfinanzen",
                },
                "descriptions": {
                    "en": "Monitors the impact of European regulations on local finances and strengthens financial know-how.",
                    "fr": "Suit l'incidence des réglementations européennes sur les finances locales et renforce les connaissances financières.",
                    "es": "Sigue el impacto de la normativa europea en las finanzas locales y refuerza los conocimientos financieros.",
                    "de": "Beobachtet die Auswirkungen europäischer Regelungen auf die Kommunalfinanzen und stärkt das Finanzwissen.",
                },
            },
            {
                "code": "territorial-development",
                "labels": {
                    "en": "Territorial Development",
                    "fr": "Développement territorial",
                    "es": "Desarrollo territorial",
                    "de": "Territoriale Entwicklung",
                },
                "descriptions": {
                    "en": "Works on cohesion policy, urban and rural development and demographic change.",
                    "fr": "Travaille sur la politique de cohésion, le développement urbain et rural et les évolutions démographiques.",
                    "es": "Trabaja en la política de cohesión, el desarrollo urbano y rural y el cambio demográfico.",
                    "de": "Arbeitet zu Kohäsionspolitik, Stadt- und Landentwicklung und demografischem Wandel.",
                },
            },
        ],
    },
    {
        "code": "society",
        "labels": {
            "en": "Society — Building Inclusive and Resilient Societies",
            "fr": "Société — Bâtir des sociétés inclusives et résilientes",
            "es": "Sociedad — Construir sociedades inclusivas y resilientes",
            "de": "Gesellschaft — Inklusive und resiliente Gesellschaften aufbauen",
        },
        "descriptions": {
            "en": "Brings together the working groups on local democracy, equality, inclusion, youth, international cooperation and the EU's neighbourhood.",
            "fr": "Réunit les groupes de travail consacrés à la démocratie locale, à l'égalité, à l'inclusion, à la jeunesse, à la coopération internationale et au voisinage de l'UE.",
            "es": "Reúne los grupos de trabajo sobre democracia local, igualdad, inclusión, juventud, cooperación internacional y la vecindad de la UE.",
            "de": "Bündelt die Arbeitsgruppen zu lokaler Demokratie, Gleichstellung, Inklusion, Jugend, internationaler Zusammenarbeit und der Nachbarschaft der EU.",
        },
        "working_groups": [
            {
                "code": "capacity-building",
                "labels": {
                    "en": "Capacity Building",
                    "fr": "Renforcement des capacités",
                    "es": "Fortalecimiento de capacidades",
                    "de": "Kapazitätsaufbau",
                },
                "descriptions": {
                    "en": "Helps local and regional governments reach their national governments and develop exchanges with their peers.",
                    "fr": "Aide les collectivités locales et régionales à se faire entendre de leur gouvernement national et à développer des échanges avec leurs pairs.",
                    "es": "Ayuda a los gobiernos locales y regionales a dialogar con sus gobiernos nacionales y a desarrollar intercambios con sus homólogos.",
                    "de": "Unterstützt lokale und regionale Gebietskörperschaften dabei, ihre nationalen Regierungen zu erreichen und den Austausch untereinander auszubauen.",
                },
            },
            {
                "code": "development-education-and-awareness-raising",
                "labels": {
                    "en": "Development Education and Awareness-Raising",
                    "fr": "Éducation au développement et sensibilisation",
                    "es": "Educación para el desarrollo y sensibilización",
                    "de": "Entwicklungspolitische Bildung und Bewusstseinsbildung",
                },
                "descriptions": {
                    "en": "Strengthens awareness of and education on sustainable development and decentralised cooperation.",
                    "fr": "Renforce la sensibilisation et l'éducation au développement durable et à la coopération décentralisée.",
                    "es": "Refuerza la sensibilización y la educación sobre el desarrollo sostenible y la cooperación descentralizada.",
                    "de": "Stärkt Bewusstseins- und Bildungsarbeit zu nachhaltiger Entwicklung und kommunaler Entwicklungszusammenarbeit.",
                },
            },
            {
                # Heading lost in the source; its text is about the EU's eastern neighbourhood.
                "code": "eastern-neighbourhood",
                "labels": {
                    "en": "Eastern Neighbourhood",
                    "fr": "Voisinage oriental",
                    "es": "Vecindad oriental",
                    "de": "Östliche Nachbarschaft",
                },
                "descriptions": {
                    "en": "Increases the impact of decentralised cooperation and strengthens the advocacy capacity of local and regional governments in the EU's eastern neighbourhood.",
                    "fr": "Accroît l'impact de la coopération décentralisée et renforce la capacité de plaidoyer des collectivités locales et régionales du voisinage oriental de l'UE.",
                    "es": "Aumenta el impacto de la cooperación descentralizada y refuerza la capacidad de incidencia de los gobiernos locales y regionales de la vecindad oriental de la UE.",
                    "de": "Stärkt die Wirkung der kommunalen Entwicklungszusammenarbeit und die Interessenvertretung lokaler und regionaler Gebietskörperschaften in der östlichen Nachbarschaft der EU.",
                },
            },
            {
                "code": "eu-dialogue",
                "labels": {
                    "en": "EU Dialogue",
                    "fr": "Dialogue UE",
                    "es": "Diálogo UE",
                    "de": "EU-Dialog",
                },
                "descriptions": {
                    "en": "Strengthens the capacity of local and regional governments in the EU's partner countries to promote cooperation at sub-national level.",
                    "fr": "Renforce la capacité des collectivités locales et régionales des pays partenaires de l'UE à promouvoir la coopération infranationale.",
                    "es": "Refuerza la capacidad de los gobiernos locales y regionales de los países socios de la UE para promover la cooperación subnacional.",
                    "de": "Stärkt die Fähigkeit lokaler und regionaler Gebietskörperschaften in den Partnerländern der EU, die Zusammenarbeit auf subnationaler Ebene voranzubringen.",
                },
            },
            {
                "code": "gender-equality",
                "labels": {
                    "en": "Gender Equality",
                    "fr": "Égalité femmes-hommes",
                    "es": "Igualdad de género",
                    "de": "Gleichstellung der Geschlechter",
                },
                "descriptions": {
                    "en": "Promotes equality of women and men through the European Charter for Equality and supports its implementation.",
                    "fr": "Promeut l'égalité des femmes et des hommes au moyen de la Charte européenne pour l'égalité et accompagne sa mise en œuvre.",
                    "es": "Promueve la igualdad de mujeres y hombres a través de la Carta Europea para la Igualdad y apoya su aplicación.",
                    "de": "Fördert die Gleichstellung von Frauen und Männern mit der Europäischen Gleichstellungscharta und unterstützt ihre Umsetzung.",
                },
            },
            {
                "code": "global-action",
                "labels": {
                    "en": "Global Action",
                    "fr": "Action mondiale",
                    "es": "Acción global",
                    "de": "Globales Handeln",
                },
                "descriptions": {
                    "en": "Coordinates the position of UCLG's European members within UCLG's global activities.",
                    "fr": "Coordonne la position des membres européens de CGLU dans le cadre des activités mondiales de CGLU.",
                    "es": "Coordina la posición de los miembros europeos de CGLU en el marco de las actividades mundiales de CGLU.",
                    "de": "Koordiniert die Position der europäischen Mitglieder von UCLG im Rahmen der weltweiten Aktivitäten von UCLG.",
                },
            },
            {
                "code": "governance-and-local-democracy",
                "labels": {
                    "en": "Governance and Local Democracy",
                    "fr": "Gouvernance et démocratie locale",
                    "es": "Gobernanza y democracia local",
                    "de": "Governance und lokale Demokratie",
                },
                "descriptions": {
                    "en": "Focuses on local democracy, citizen participation, open government and better regulation in EU policy-making.",
                    "fr": "Se consacre à la démocratie locale, à la participation citoyenne, au gouvernement ouvert et à l'amélioration de la réglementation dans les politiques de l'UE.",
                    "es": "Se centra en la democracia local, la participación ciudadana, el gobierno abierto y la mejora de la legislación en las políticas de la UE.",
                    "de": "Befasst sich mit lokaler Demokratie, Bürgerbeteiligung, offenem Regierungshandeln und besserer Rechtsetzung in der EU-Politik.",
                },
            },
            {
                "code": "migration-and-inclusion",
                "labels": {
                    "en": "Migration and Inclusion",
                    "fr": "Migration et inclusion",
                    "es": "Migración e inclusión",
                    "de": "Migration und Inklusion",
                },
                "descriptions": {
                    "en": "Addresses migration, integration and asylum policies from a local and regional perspective.",
                    "fr": "Traite des politiques de migration, d'intégration et d'asile du point de vue local et régional.",
                    "es": "Aborda las políticas de migración, integración y asilo desde una perspectiva local y regional.",
                    "de": "Befasst sich aus lokaler und regionaler Sicht mit Migrations-, Integrations- und Asylpolitik.",
                },
            },
            {
                "code": "youth-engagement",
                "labels": {
                    "en": "Youth Engagement",
                    "fr": "Engagement des jeunes",
                    "es": "Participación juvenil",
                    "de": "Jugendbeteiligung",
                },
                "descriptions": {
                    "en": "Connects young local and regional politicians to share good practice on youth policy.",
                    "fr": "Met en relation de jeunes élus locaux et régionaux pour partager les bonnes pratiques en matière de politiques de jeunesse.",
                    "es": "Conecta a jóvenes cargos electos locales y regionales para compartir buenas prácticas en políticas de juventud.",
                    "de": "Vernetzt junge Kommunal- und Regionalpolitikerinnen und -politiker, um gute Praxis in der Jugendpolitik auszutauschen.",
                },
            },
        ],
    },
]

# Groups whose members serve the goals of every impact community, hence no parent.
CROSS_CUTTING_GROUPS: list[dict] = [
    {
        "code": "twinning-and-partnerships",
        "labels": {
            "en": "Twinning and Partnerships",
            "fr": "Jumelages et partenariats",
            "es": "Hermanamientos y asociaciones",
            "de": "Städtepartnerschaften und Kooperationen",
        },
        "descriptions": {
            "en": "Supports town twinning, decentralised cooperation and partnerships across Europe.",
            "fr": "Soutient les jumelages, la coopération décentralisée et les partenariats à travers l'Europe.",
            "es": "Apoya los hermanamientos, la cooperación descentralizada y las asociaciones en toda Europa.",
            "de": "Unterstützt Städtepartnerschaften, kommunale Zusammenarbeit und Partnerschaften in ganz Europa.",
        },
    },
    {
        "code": "external-funding",
        "labels": {
            "en": "External Funding",
            "fr": "Financements extérieurs",
            "es": "Financiación externa",
            "de": "Externe Finanzierung",
        },
        "descriptions": {
            "en": "Identifies funding opportunities and develops projects with external resources.",
            "fr": "Repère les possibilités de financement et monte des projets grâce à des ressources extérieures.",
            "es": "Identifica oportunidades de financiación y desarrolla proyectos con recursos externos.",
            "de": "Ermittelt Fördermöglichkeiten und entwickelt Projekte mit externen Mitteln.",
        },
    },
    {
        "code": "research-and-studies",
        "labels": {
            "en": "Research and Studies",
            "fr": "Recherche et études",
            "es": "Investigación y estudios",
            "de": "Forschung und Studien",
        },
        "descriptions": {
            "en": "Coordinates research that supports advocacy and shares good practice.",
            "fr": "Coordonne des travaux de recherche à l'appui du plaidoyer et diffuse les bonnes pratiques.",
            "es": "Coordina la investigación que respalda la incidencia política y difunde buenas prácticas.",
            "de": "Koordiniert Forschung zur Unterstützung der Interessenvertretung und verbreitet gute Praxis.",
        },
    },
]

# The UN's short names and goal statements (A/RES/70/1) in its official wording per language;
# colours are the UN's communication-guideline hex values.
SUSTAINABLE_DEVELOPMENT_GOALS: list[dict] = [
    {
        "number": 1,
        "colour": "#E5243B",
        "labels": {
            "en": "No poverty",
            "fr": "Pas de pauvreté",
            "es": "Fin de la pobreza",
            "de": "Keine Armut",
        },
        "descriptions": {
            "en": "End poverty in all its forms everywhere.",
            "fr": "Éliminer la pauvreté sous toutes ses formes et partout dans le monde.",
            "es": "Poner fin a la pobreza en todas sus formas en todo el mundo.",
            "de": "Armut in allen ihren Formen und überall beenden.",
        },
    },
    {
        "number": 2,
        "colour": "#DDA63A",
        "labels": {
            "en": "Zero hunger",
            "fr": "Faim «\u00a0zéro\u00a0»",
            "es": "Hambre cero",
            "de": "Kein Hunger",
        },
        "descriptions": {
            "en": "End hunger, achieve food security and improved nutrition and promote sustainable agriculture.",
            "fr": "Éliminer la faim, assurer la sécurité alimentaire, améliorer la nutrition et promouvoir l'agriculture durable.",
            "es": "Poner fin al hambre, lograr la seguridad alimentaria y la mejora de la nutrición y promover la agricultura sostenible.",
            "de": "Den Hunger beenden, Ernährungssicherheit und eine bessere Ernährung erreichen und eine nachhaltige Landwirtschaft fördern.",
        },
    },
    {
        "number": 3,
        "colour": "#4C9F38",
        "labels": {
            "en": "Good health and well-being",
            "fr": "Bonne santé et bien-être",
            "es": "Salud y bienestar",
            "de": "Gesundheit und Wohlergehen",
        },
        "descriptions": {
            "en": "Ensure healthy lives and promote well-being for all at all ages.",
            "fr": "Permettre à tous de vivre en bonne santé et promouvoir le bien-être de tous à tout âge.",
            "es": "Garantizar una vida sana y promover el bienestar para todos en todas las edades.",
            "de": "Ein gesundes Leben für alle Menschen jeden Alters gewährleisten und ihr Wohlergehen fördern.",
        },
    },
    {
        "number": 4,
        "colour": "#C5192D",
        "labels": {
            "en": "Quality education",
            "fr": "Éducation de qualité",
            "es": "Educación de calidad",
            "de": "Hochwertige Bildung",
        },
        "descriptions": {
            "en": "Ensure inclusive and equitable quality education and promote lifelong learning opportunities for all.",
            "fr": "Assurer l'accès de tous à une éducation de qualité, sur un pied d'égalité, et promouvoir les possibilités d'apprentissage tout au long de la vie.",
            "es": "Garantizar una educación inclusiva, equitativa y de calidad y promover oportunidades de aprendizaje durante toda la vida para todos.",
            "de": "Inklusive, gleichberechtigte und hochwertige Bildung gewährleisten und Möglichkeiten lebenslangen Lernens für alle fördern.",
        },
    },
    {
        "number": 5,
        "colour": "#FF3A21",
        "labels": {
            "en": "Gender equality",
            "fr": "Égalité entre les sexes",
            "es": "Igualdad de género",
            "de": "Geschlechtergleichheit",
        },
        "descriptions": {
            "en": "Achieve gender equality and empower all women and girls.",
            "fr": "Parvenir à l'égalité des sexes et autonomiser toutes les femmes et les filles.",
            "es": "Lograr la igualdad entre los géneros y empoderar a todas las mujeres y las niñas.",
            "de": "Geschlechtergleichstellung erreichen und alle Frauen und Mädchen zur Selbstbestimmung befähigen.",
        },
    },
    {
        "number": 6,
        "colour": "#26BDE2",
        "labels": {
            "en": "Clean water and sanitation",
            "fr": "Eau propre et assainissement",
            "es": "Agua limpia y saneamiento",
            "de": "Sauberes Wasser und Sanitäreinrichtungen",
        },
        "descriptions": {
            "en": "Ensure availability and sustainable management of water and sanitation for all.",
            "fr": "Garantir l'accès de tous à l'eau et à l'assainissement et assurer une gestion durable des ressources en eau.",
            "es": "Garantizar la disponibilidad y la gestión sostenible del agua y el saneamiento para todos.",
            "de": "Verfügbarkeit und nachhaltige Bewirtschaftung von Wasser und Sanitärversorgung für alle gewährleisten.",
        },
    },
    {
        "number": 7,
        "colour": "#FCC30B",
        "labels": {
            "en": "Affordable and clean energy",
            "fr": "Énergie propre et d'un coût abordable",
            "es": "Energía asequible y no contaminante",
            "de": "Bezahlbare und saubere Energie",
        },
        "descriptions": {
            "en": "Ensure access to affordable, reliable, sustainable and modern energy for all.",
            "fr": "Garantir l'accès de tous à des services énergétiques fiables, durables et modernes, à un coût abordable.",
            "es": "Garantizar el acceso a una energía asequible, segura, sostenible y moderna para todos.",
            "de": "Zugang zu bezahlbarer, verlässlicher, nachhaltiger und moderner Energie für alle sichern.",
        },
    },
    {
        "number": 8,
        "colour": "#A21942",
        "labels": {
            "en": "Decent work and economic growth",
            "fr": "Travail décent et croissance économique",
            "es": "Trabajo decente y crecimiento económico",
            "de": "Menschenwürdige Arbeit und Wirtschaftswachstum",
        },
        "descriptions": {
            "en": "Promote sustained, inclusive and sustainable economic growth, full and productive employment and decent work for all.",
            "fr": "Promouvoir une croissance économique soutenue, partagée et durable, le plein emploi productif et un travail décent pour tous.",
            "es": "Promover el crecimiento económico sostenido, inclusivo y sostenible, el empleo pleno y productivo y el trabajo decente para todos.",
            "de": "Dauerhaftes, breitenwirksames und nachhaltiges Wirtschaftswachstum, produktive Vollbeschäftigung und menschenwürdige Arbeit für alle fördern.",
        },
    },
    {
        "number": 9,
        "colour": "#FD6925",
        "labels": {
            "en": "Industry, innovation and infrastructure",
            "fr": "Industrie, innovation et infrastructure",
            "es": "Industria, innovación e infraestructura",
            "de": "Industrie, Innovation und Infrastruktur",
        },
        "descriptions": {
            "en": "Build resilient infrastructure, promote inclusive and sustainable industrialization and foster innovation.",
            "fr": "Bâtir une infrastructure résiliente, promouvoir une industrialisation durable qui profite à tous et encourager l'innovation.",
            "es": "Construir infraestructuras resilientes, promover la industrialización inclusiva y sostenible y fomentar la innovación.",
            "de": "Eine widerstandsfähige Infrastruktur aufbauen, breitenwirksame und nachhaltige Industrialisierung fördern und Innovationen unterstützen.",
        },
    },
    {
        "number": 10,
        "colour": "#DD1367",
        "labels": {
            "en": "Reduced inequalities",
            "fr": "Inégalités réduites",
            "es": "Reducción de las desigualdades",
            "de": "Weniger Ungleichheiten",
        },
        "descriptions": {
            "en": "Reduce inequality within and among countries.",
            "fr": "Réduire les inégalités dans les pays et d'un pays à l'autre.",
            "es": "Reducir la desigualdad en los países y entre ellos.",
            "de": "Ungleichheit in und zwischen Ländern verringern.",
        },
    },
    {
        "number": 11,
        "colour": "#FD9D24",
        "labels": {
            "en": "Sustainable cities and communities",
            "fr": "Villes et communautés durables",
            "es": "Ciudades y comunidades sostenibles",
            "de": "Nachhaltige Städte und Gemeinden",
        },
        "descriptions": {
            "en": "Make cities and human settlements inclusive, safe, resilient and sustainable.",
            "fr": "Faire en sorte que les villes et les établissements humains soient ouverts à tous, sûrs, résilients et durables.",
            "es": "Lograr que las ciudades y los asentamientos humanos sean inclusivos, seguros, resilientes y sostenibles.",
            "de": "Städte und Siedlungen inklusiv, sicher, widerstandsfähig und nachhaltig gestalten.",
        },
    },
    {
        "number": 12,
        "colour": "#BF8B2E",
        "labels": {
            "en": "Responsible consumption and production",
            "fr": "Consommation et production responsables",
            "es": "Producción y consumo responsables",
            "de": "Nachhaltiger Konsum und nachhaltige Produktion",
        },
        "descriptions": {
            "en": "Ensure sustainable consumption and production patterns.",
            "fr": "Établir des modes de consommation et de production durables.",
            "es": "Garantizar modalidades de consumo y producción sostenibles.",
            "de": "Nachhaltige Konsum- und Produktionsmuster sicherstellen.",
        },
    },
    {
        "number": 13,
        "colour": "#3F7E44",
        "labels": {
            "en": "Climate action",
            "fr": "Mesures relatives à la lutte contre les changements climatiques",
            "es": "Acción por el clima",
            "de": "Maßnahmen zum Klimaschutz",
        },
        "descriptions": {
            "en": "Take urgent action to combat climate change and its impacts.",
            "fr": "Prendre d'urgence des mesures pour lutter contre les changements climatiques et leurs répercussions.",
            "es": "Adoptar medidas urgentes para combatir el cambio climático y sus efectos.",
            "de": "Umgehend Maßnahmen zur Bekämpfung des Klimawandels und seiner Auswirkungen ergreifen.",
        },
    },
    {
        "number": 14,
        "colour": "#0A97D9",
        "labels": {
            "en": "Life below water",
            "fr": "Vie aquatique",
            "es": "Vida submarina",
            "de": "Leben unter Wasser",
        },
        "descriptions": {
            "en": "Conserve and sustainably use the oceans, seas and marine resources for sustainable development.",
            "fr": "Conserver et exploiter de manière durable les océans, les mers et les ressources marines aux fins du développement durable.",
            "es": "Conservar y utilizar sosteniblemente los océanos, los mares y los recursos marinos para el desarrollo sostenible.",
            "de": "Ozeane, Meere und Meeresressourcen im Sinne nachhaltiger Entwicklung erhalten und nachhaltig nutzen.",
        },
    },
    {
        "number": 15,
        "colour": "#56C02B",
        "labels": {
            "en": "Life on land",
            "fr": "Vie terrestre",
            "es": "Vida de ecosistemas terrestres",
            "de": "Leben an Land",
        },
        "descriptions": {
            "en": "Protect, restore and promote sustainable use of terrestrial ecosystems, sustainably manage forests, combat desertification, and halt and reverse land degradation and halt biodiversity loss.",
            "fr": "Préserver et restaurer les écosystèmes terrestres, en veillant à les exploiter de façon durable, gérer durablement les forêts, lutter contre la désertification, enrayer et inverser le processus de dégradation des terres et mettre fin à l'appauvrissement de la biodiversité.",
            "es": "Proteger, restablecer y promover el uso sostenible de los ecosistemas terrestres, gestionar sosteniblemente los bosques, luchar contra la desertificación, detener e invertir la degradación de las tierras y detener la pérdida de biodiversidad.",
            "de": "Landökosysteme schützen, wiederherstellen und ihre nachhaltige Nutzung fördern, Wälder nachhaltig bewirtschaften, Wüstenbildung bekämpfen, Bodendegradation beenden und umkehren und dem Verlust der biologischen Vielfalt ein Ende setzen.",
        },
    },
    {
        "number": 16,
        "colour": "#00689D",
        "labels": {
            "en": "Peace, justice and strong institutions",
            "fr": "Paix, justice et institutions efficaces",
            "es": "Paz, justicia e instituciones sólidas",
            "de": "Frieden, Gerechtigkeit und starke Institutionen",
        },
        "descriptions": {
            "en": "Promote peaceful and inclusive societies for sustainable development, provide access to justice for all and build effective, accountable and inclusive institutions at all levels.",
            "fr": "Promouvoir l'avènement de sociétés pacifiques et inclusives aux fins du développement durable, assurer l'accès de tous à la justice et mettre en place, à tous les niveaux, des institutions efficaces, responsables et ouvertes à tous.",
            "es": "Promover sociedades pacíficas e inclusivas para el desarrollo sostenible, facilitar el acceso a la justicia para todos y construir a todos los niveles instituciones eficaces e inclusivas que rindan cuentas.",
            "de": "Friedliche und inklusive Gesellschaften für eine nachhaltige Entwicklung fördern, allen Menschen Zugang zur Justiz ermöglichen und leistungsfähige, rechenschaftspflichtige und inklusive Institutionen auf allen Ebenen aufbauen.",
        },
    },
    {
        "number": 17,
        "colour": "#19486A",
        "labels": {
            "en": "Partnerships for the goals",
            "fr": "Partenariats pour la réalisation des objectifs",
            "es": "Alianzas para lograr los objetivos",
            "de": "Partnerschaften zur Erreichung der Ziele",
        },
        "descriptions": {
            "en": "Strengthen the means of implementation and revitalize the Global Partnership for Sustainable Development.",
            "fr": "Renforcer les moyens de mettre en œuvre le Partenariat mondial pour le développement durable et le revitaliser.",
            "es": "Fortalecer los medios de implementación y revitalizar la Alianza Mundial para el Desarrollo Sostenible.",
            "de": "Umsetzungsmittel stärken und die Globale Partnerschaft für nachhaltige Entwicklung mit neuem Leben erfüllen.",
        },
    },
]


def theme_rows() -> Iterator[dict]:
    """Every theme as a flat row (code, kind, parent_code, position, labels, descriptions),
    parents before their children, positions numbering the source document's order."""
    position = 0
    for community in IMPACT_COMMUNITIES:
        position += 1
        yield _row(community, kind=IMPACT_COMMUNITY, parent_code=None, position=position)
        for group in community["working_groups"]:
            position += 1
            yield _row(group, kind=WORKING_GROUP, parent_code=community["code"], position=position)
    for group in CROSS_CUTTING_GROUPS:
        position += 1
        yield _row(group, kind=CROSS_CUTTING_GROUP, parent_code=None, position=position)


def _row(entry: dict, *, kind: str, parent_code: str | None, position: int) -> dict:
    return {
        "code": entry["code"],
        "kind": kind,
        "parent_code": parent_code,
        "position": position,
        "labels": dict(entry["labels"]),
        "descriptions": dict(entry["descriptions"]),
    }
