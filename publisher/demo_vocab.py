"""Word lists for `demo.py`: French names, institutions, management-science themes, phrasing.

Everything here is ordinary vocabulary; the combinations `demo.py` makes of it are fictional.
"""

from __future__ import annotations

GIVEN_NAMES: tuple[str, ...] = (
    # women
    "Madina", "Bénédicte", "Elisabeth", "Marie", "Anne", "Sophie", "Claire", "Hélène",
    "Cécile", "Agnès", "Isabelle", "Nathalie", "Valérie", "Sandrine", "Catherine", "Christine",
    "Véronique", "Françoise", "Sylvie", "Laurence", "Aurélie", "Émilie", "Élodie", "Camille",
    "Léa", "Chloé", "Manon", "Zoé", "Anaïs", "Noémie", "Inès", "Gaëlle", "Maëlle", "Océane",
    "Mélanie", "Céline", "Delphine", "Géraldine", "Pascale", "Béatrice", "Joëlle", "Ségolène",
    "Solène", "Clémence", "Margaux", "Pauline", "Julie", "Laure", "Amélie", "Marion", "Sarah",
    "Fatima", "Leïla", "Yasmina", "Samia", "Nadia", "Amina", "Khadija", "Mei", "Irène",
    "Judith", "Odile", "Brigitte", "Danièle", "Geneviève", "Mireille", "Ghislaine", "Eugénie",
    "Léonie", "Louise", "Héloïse", "Capucine", "Bérénice", "Édith", "Lætitia", "Aïcha",
    # men
    "Alain", "Gilles", "Adrien", "Jean", "Pierre", "Jacques", "Michel", "Philippe", "François",
    "Laurent", "Nicolas", "Stéphane", "Frédéric", "Jérôme", "Sébastien", "Thierry", "Hervé",
    "Benoît", "Loïc", "Raphaël", "Gaël", "Joël", "Noël", "Maël", "Mathéo", "Théo", "Hugo",
    "Lucas", "Étienne", "Grégoire", "Rémi", "Cédric", "Éric", "Xavier", "Yves", "Bertrand",
    "Olivier", "Antoine", "Thibault", "Aurélien", "Clément", "Damien", "Julien", "Mehdi",
    "Karim", "Yacine", "Rachid", "Mamadou", "Moussa", "Ibrahima", "Minh", "Lorenzo", "Matteo",
    "João", "Guillaume", "Maxime", "Baptiste", "Quentin", "Romain", "Vincent", "Bruno",
    "Denis", "Didier", "Gérard", "Régis", "Emmanuel", "Gaétan", "Félix", "Léon", "Jules",
    "Célestin", "Ambroise", "Anselme", "Timothée", "Évrard",
    # hyphenated
    "Jean-Étienne", "Marie-Hélène", "Jean-Guy", "Jean-François", "Jean-Pierre", "Jean-Luc",
    "Jean-Michel", "Jean-Baptiste", "Jean-Christophe", "Jean-Marc", "Jean-Noël", "Pierre-Yves",
    "Pierre-Antoine", "Paul-Henri", "Louis-Marie", "Marie-Claire", "Marie-Christine",
    "Marie-Laure", "Marie-Noëlle", "Marie-Ève", "Anne-Sophie", "Anne-Laure", "Anne-Cécile",
    "Anne-Gaëlle", "Marie-José", "Marie-Françoise", "Jean-Rémi", "Éva-Marie",
)

FAMILY_NAMES: tuple[str, ...] = (
    # accented
    "JOULLIÉ", "LEFÈVRE", "MÉNARD", "BÉRANGER", "GÉRARD", "FÉVRIER", "HÉBERT", "CHRÉTIEN",
    "GUÉRIN", "MÉTIVIER", "LEMAÎTRE", "BENOÎT", "CÔTÉ", "FRANÇOIS", "GARÇON", "BRÉMOND",
    "DELÉAGE", "PÉRIER", "RÉMY", "VÉRON", "THÉRY", "CLÉMENT", "DÉSIRÉ", "LEBRETON", "MÉRIEUX",
    "FÉRAUD", "GRÉGOIRE", "AUBÉ", "NOËL", "JOËL", "LÉGER", "PRÉVOST", "SÉGUIN", "TÊTU",
    "BLÂME", "CHÂTELAIN", "CRÉPIN", "DUPRÉ", "ÉVRARD", "FÉLIX", "GÉLINAS", "HÉLIAS", "LECŒUR",
    "MARÉCHAL", "PÂRIS", "RÉGNIER", "SÉNÉCHAL", "VALÉRY", "BOUCHÉ", "CARRÉ", "DÉSERT",
    # particles and articles
    "DE LA FONTAINE", "D'ALMEIDA", "DE LA ROCHE", "DE LA MOTTE", "DU BOIS", "DE SOUSA",
    "D'ANDRÉ", "DE OLIVEIRA", "DOS SANTOS", "DA SILVA", "LE GOFF", "LE BRIS", "LE ROUX",
    "LE GALL", "LE BIHAN", "LE CORRE", "LA ROCHE", "VAN DEN BERGHE", "DE VILLENEUVE",
    "DE CHAMBORD", "D'HARCOURT", "D'ORGEVAL", "DE LAGARDE", "DU CHÂTELET", "DES ROCHES",
    "DE MONTALEMBERT", "LE MOAL", "LE NOAN", "DI MARCO", "DEL RIO",
    # hyphenated
    "MARTIN-DUPONT", "BERTRAND-GIRAUD", "SAINT-MARTIN", "SAINT-ANDRÉ", "VASSEUR-LENOIR",
    "LAMBERT-MOREL", "PETIT-JEAN", "COLAS-BLAISE", "LACROIX-RIVIÈRE", "BOYER-XAMBEU",
    # plain
    "RIVAL", "BURLAUD", "WALLISER", "GAREL", "GRALL", "PASSANT", "MARTIN", "BERNARD",
    "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT", "SIMON",
    "MICHEL", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET",
    "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER", "FAURE", "ANDRÉ",
    "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER", "CHEVALIER", "LEGRAND", "GAUTHIER",
    "GARCIA", "PERRIN", "ROBIN", "CLEMENT", "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU",
    "GAUTIER", "MASSON", "MARCHAND", "DUVAL", "DENIS", "DUMONT", "MARIE", "LEMAIRE",
    "BRUN", "BLANCHARD", "GIRAUD", "JOLY", "RIVIERE", "LUCAS", "BRUNET", "GAILLARD",
    "BARBIER", "ARNAUD", "MARTINEZ", "GERARD", "ROCHE", "RENARD", "SCHMITT", "ROY",
    "LEROUX", "COLIN", "VIDAL", "CARON", "PICARD", "ROGER", "FABRE", "AUBERT", "LEMOINE",
    "RENAUD", "DUMAS", "LACROIX", "OLIVIER", "PHILIPPE", "BOURGEOIS", "PIERRE", "BENOIT",
    "REY", "LECLERC", "PAYET", "ROLLAND", "LECLERCQ", "GUILLAUME", "LECOMTE", "LOPEZ",
    "JEAN", "DUPUY", "GUILLOT", "HUBERT", "BERGER", "CARPENTIER", "SANCHEZ", "DUPUIS",
    "MOULIN", "LOUIS", "DESCHAMPS", "HUET", "VASSEUR", "PEREZ", "BOUCHER", "FLEURY", "ROYER",
    "KLEIN", "JACQUET", "ADAM", "PARIS", "POIRIER", "MARTY", "AUBRY", "GUYOT", "CARRE",
    "CHARLES", "RENAULT", "CHARPENTIER", "MENARD", "MAILLARD", "BARON", "BERTIN", "BAILLY",
    "HERVE", "SCHNEIDER", "FERNANDEZ", "LE GUEN", "COLLET", "LEGER", "BOUVIER", "JULIEN",
    "PREVOST", "MILLET", "PERROT", "DANIEL", "LE ROY", "COUSIN", "GERMAIN", "BRETON",
    "BESSON", "LANGLOIS", "REMY", "PELLETIER", "LEVEQUE", "PERRIER", "LEBLANC", "BARRE",
    "LEBRUN", "MARCHAL", "WEBER", "MALLET", "HAMON", "BOULANGER", "JACOB", "MONNIER",
    "MICHAUD", "RODRIGUEZ", "GUICHARD", "GILLET", "ETIENNE", "GRONDIN", "POULAIN", "TESSIER",
    "CHEVALLIER", "COLLIN", "CHAUVIN", "BOUCHET", "GAY", "LEMAITRE", "BENARD", "MARECHAL",
    "HUMBERT", "REYNAUD", "ANTOINE", "HOARAU", "PERRET", "BARTHELEMY", "CORDIER", "PICHON",
    "LEJEUNE", "GILBERT", "LAMY", "DELAUNAY", "PASQUIER", "CARLIER", "LAPORTE", "NGUYEN",
    "TRAN", "BENSAÏD", "HADDAD", "BENALI", "MEZIANE", "DIALLO", "TRAORÉ", "KONATÉ", "N'DIAYE",
    "OUEDRAOGO", "ZHANG", "WANG", "ROSSI", "ESPOSITO", "FERREIRA", "PEREIRA", "KOWALSKI",
)

# (label, short form used in lab labels, full name, city for its IAE or "", alt labels)
UNIVERSITIES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("CNAM", "CNAM", "Conservatoire national des arts et métiers", "", ("Cnam", "Le Cnam")),
    ("Université Paris Dauphine-PSL", "Dauphine", "Université Paris Dauphine-PSL", "",
     ("Paris-Dauphine", "Dauphine-PSL")),
    ("Université de Lille", "Lille", "Université de Lille", "Lille", ("ULille",)),
    ("Université Grenoble Alpes", "UGA", "Université Grenoble Alpes", "Grenoble", ("UGA",)),
    ("Aix-Marseille Université", "AMU", "Aix-Marseille Université", "Aix-Marseille", ("AMU",)),
    ("Université de Bordeaux", "Bordeaux", "Université de Bordeaux", "Bordeaux", ()),
    ("Université de Montpellier", "Montpellier", "Université de Montpellier", "Montpellier", ()),
    ("Université de Strasbourg", "Unistra", "Université de Strasbourg", "", ("Unistra",)),
    ("Université Côte d’Azur", "UniCA", "Université Côte d’Azur", "Nice", ("UniCA",)),
    ("Nantes Université", "Nantes", "Nantes Université", "Nantes", ("Université de Nantes",)),
    ("Université de Rennes", "Rennes", "Université de Rennes", "Rennes", ()),
    ("Université Toulouse Capitole", "UT Capitole", "Université Toulouse Capitole", "Toulouse",
     ("Toulouse 1 Capitole",)),
    ("Université Jean Moulin Lyon 3", "Lyon 3", "Université Jean Moulin Lyon 3", "Lyon",
     ("Lyon 3",)),
    ("Université Paris 1 Panthéon-Sorbonne", "Paris 1", "Université Paris 1 Panthéon-Sorbonne",
     "Paris", ("Paris 1",)),
    ("Université Paris-Saclay", "Saclay", "Université Paris-Saclay", "", ()),
    ("Université Paris-Est Créteil", "UPEC", "Université Paris-Est Créteil", "Paris-Est",
     ("UPEC",)),
    ("Université de Caen Normandie", "Caen", "Université de Caen Normandie", "Caen", ()),
    ("Université de Rouen Normandie", "Rouen", "Université de Rouen Normandie", "Rouen", ()),
    ("Université d’Orléans", "Orléans", "Université d’Orléans", "Orléans", ()),
    ("Université de Tours", "Tours", "Université de Tours", "Tours", ()),
    ("Université de Poitiers", "Poitiers", "Université de Poitiers", "Poitiers", ()),
    ("Université de Limoges", "Limoges", "Université de Limoges", "Limoges", ()),
    ("Université Clermont Auvergne", "Clermont", "Université Clermont Auvergne", "Clermont",
     ("UCA Clermont",)),
    ("Université de Lorraine", "Lorraine", "Université de Lorraine", "Metz", ()),
    ("Université de Reims Champagne-Ardenne", "URCA", "Université de Reims Champagne-Ardenne",
     "Reims", ("URCA",)),
    ("Université de Bourgogne", "uB", "Université de Bourgogne", "Dijon", ()),
    ("Université Savoie Mont Blanc", "USMB", "Université Savoie Mont Blanc", "Savoie Mont Blanc",
     ("USMB",)),
    ("Université de Pau et des Pays de l’Adour", "UPPA",
     "Université de Pau et des Pays de l’Adour", "Pau-Bayonne", ("UPPA",)),
    ("Université de Perpignan Via Domitia", "UPVD", "Université de Perpignan Via Domitia", "", ()),
    ("La Rochelle Université", "La Rochelle", "La Rochelle Université", "La Rochelle", ()),
    ("Université Le Havre Normandie", "Le Havre", "Université Le Havre Normandie", "", ()),
    ("Université d’Angers", "Angers", "Université d’Angers", "Angers", ()),
    ("Le Mans Université", "Le Mans", "Le Mans Université", "", ()),
    ("Université Bretagne Sud", "UBS", "Université Bretagne Sud", "Vannes", ("UBS",)),
    ("Université de Bretagne Occidentale", "UBO", "Université de Bretagne Occidentale", "Brest",
     ("UBO",)),
    ("Université de Franche-Comté", "UFC", "Université de Franche-Comté", "Besançon", ()),
    ("Université de Picardie Jules Verne", "UPJV", "Université de Picardie Jules Verne",
     "Amiens", ("UPJV",)),
    ("Université Polytechnique Hauts-de-France", "UPHF",
     "Université Polytechnique Hauts-de-France", "Valenciennes", ("UPHF",)),
    ("Université d’Avignon", "Avignon", "Avignon Université", "", ()),
    ("Université de Corse Pasquale Paoli", "Corse", "Université de Corse Pasquale Paoli", "Corte",
     ()),
    ("Université de La Réunion", "Réunion", "Université de La Réunion", "La Réunion", ()),
    ("Université des Antilles", "Antilles", "Université des Antilles", "", ()),
)

# (label, full name, parent label or "")
SCHOOLS: tuple[tuple[str, str, str], ...] = (
    ("EMLV", "École de management Léonard de Vinci", ""),
    ("ESSEC", "ESSEC Business School", ""),
    ("ESCP", "ESCP Business School", ""),
    ("HEC Paris", "École des hautes études commerciales de Paris", ""),
    ("emlyon", "emlyon business school", ""),
    ("EDHEC", "EDHEC Business School", ""),
    ("Audencia", "Audencia Business School", ""),
    ("GEM", "Grenoble École de management", ""),
    ("NEOMA", "NEOMA Business School", ""),
    ("SKEMA", "SKEMA Business School", ""),
    ("KEDGE", "KEDGE Business School", ""),
    ("TBS", "TBS Education", ""),
    ("Rennes SB", "Rennes School of Business", ""),
    ("MBS", "Montpellier Business School", ""),
    ("IÉSEG", "IÉSEG School of Management", ""),
    ("ICN", "ICN Business School", ""),
    ("EM Strasbourg", "EM Strasbourg Business School", "Université de Strasbourg"),
    ("ISC Paris", "ISC Paris Business School", ""),
    ("PSB", "Paris School of Business", ""),
    ("ESSCA", "ESSCA School of Management", ""),
    ("Excelia", "Excelia Business School", ""),
    ("BSB", "Burgundy School of Business", ""),
    ("EM Normandie", "EM Normandie Business School", ""),
    ("ESC Clermont", "ESC Clermont Business School", ""),
    ("IMT-BS", "Institut Mines-Télécom Business School", ""),
    ("ISG", "Institut supérieur de gestion", ""),
    ("CNRS", "Centre national de la recherche scientifique", ""),
    ("Polytechnique", "École polytechnique", ""),
    ("Mines Paris", "Mines Paris – PSL", ""),
    ("Sciences Po", "Institut d’études politiques de Paris", ""),
)

# (acronym, full name) of research labs; combined with a parent into labels like `CERAG-UGA`.
LABS: tuple[tuple[str, str], ...] = (
    ("LIRSA", "Laboratoire interdisciplinaire de recherche en sciences de l’action"),
    ("DRM", "Dauphine Recherches en Management"),
    ("CERAG", "Centre d’études et de recherches appliquées à la gestion"),
    ("LEM", "Lille Économie Management"),
    ("IRG", "Institut de recherche en gestion"),
    ("CREGO", "Centre de recherche en gestion des organisations"),
    ("MRM", "Montpellier Research in Management"),
    ("GREGOR", "Groupe de recherche en gestion des organisations"),
    ("LARGEPA", "Laboratoire de recherche en gestion Panthéon-Assas"),
    ("CEROS", "Centre d’études et de recherches sur les organisations et la stratégie"),
    ("LITEM", "Laboratoire en innovation, technologies, économie et management"),
    ("IREGE", "Institut de recherche en gestion et en économie"),
    ("CleRMa", "Clermont Recherche Management"),
    ("GRANEM", "Groupe de recherche angevin en économie et management"),
    ("LEMNA", "Laboratoire d’économie et de management Nantes-Atlantique"),
    ("CEREGE", "Centre de recherche en gestion"),
    ("IRGO", "Institut de recherche en gestion des organisations"),
    ("LaRGE", "Laboratoire de recherche en gestion et économie"),
    ("CERGAM", "Centre d’études et de recherche en gestion d’Aix-Marseille"),
    ("GRM", "Groupe de recherche en management"),
    ("CRIISEA",
     "Centre de recherche sur les institutions, l’industrie et les systèmes économiques"),
    ("CREM", "Centre de recherche en économie et management"),
    ("CRCGM", "Centre de recherche clermontois en gestion et management"),
    ("LEST", "Laboratoire d’économie et de sociologie du travail"),
    ("PRISM", "Pôle de recherche interdisciplinaire en sciences du management"),
    ("VALLOREM", "Val de Loire Recherche en Management"),
    ("LAREQUOI", "Laboratoire de recherche en management"),
    ("CEPN", "Centre d’économie de Paris Nord"),
    ("IRMAPE", "Institut de recherche en management et pays émergents"),
    ("LGI", "Laboratoire génie industriel"),
    ("CREOP", "Centre de recherche sur l’entreprise, les organisations et le patrimoine"),
    ("NIMEC", "Normandie Innovation Marché Entreprise Consommation"),
    ("LUMEN", "Lille University Management Lab"),
    ("CRET-LOG", "Centre de recherche sur le transport et la logistique"),
    ("CEREFIGE", "Centre européen de recherche en économie financière et gestion des entreprises"),
    ("LIRAES", "Laboratoire interdisciplinaire de recherche appliquée en économie de la santé"),
    ("MOSAIC", "Management des organisations, stratégie et innovation collaborative"),
    ("CRG", "Centre de recherche en gestion"),
)

# Theme -> (keywords, topics). Topics are noun phrases with their article, so that
# templates can build `de la…`, `du…`, `des…` with the right contraction.
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Innovation publique": (
        ("innovation publique", "service public", "laboratoire d’innovation", "start-up d’État",
         "usagers", "collectivités territoriales", "design des politiques publiques",
         "Nouveau Management Public"),
        ("l’innovation publique", "les laboratoires d’innovation publique",
         "la participation citoyenne", "la transformation numérique de l’État",
         "l’agilité des collectivités", "les start-up d’État"),
    ),
    "Management de l’innovation": (
        ("innovation", "R&D", "créativité", "conception innovante", "innovation ouverte",
         "brevets", "prototypage", "écosystèmes d’innovation"),
        ("le management de l’innovation", "l’innovation ouverte", "la conception innovante",
         "les processus de R&D", "la créativité organisationnelle", "la valeur de l’innovation"),
    ),
    "Finance d’entreprise": (
        ("structure du capital", "coût du capital", "dividendes", "introduction en bourse",
         "LBO", "évaluation d’entreprise", "endettement", "trésorerie"),
        ("la structure du capital", "la politique de dividendes", "les introductions en bourse",
         "l’évaluation des entreprises", "le financement des PME", "les opérations de LBO"),
    ),
    "Finance de marché": (
        ("marchés financiers", "volatilité", "produits dérivés", "efficience des marchés",
         "gestion de portefeuille", "liquidité", "trading haute fréquence"),
        ("l’efficience des marchés", "la gestion de portefeuille", "les produits dérivés",
         "la liquidité des marchés", "le trading haute fréquence", "les bulles spéculatives"),
    ),
    "Finance durable": (
        ("investissement socialement responsable", "obligations vertes", "critères ESG",
         "taxonomie européenne", "investissement à impact", "finance climat"),
        ("la finance durable", "les obligations vertes", "la notation extra-financière",
         "l’investissement à impact", "la finance climat"),
    ),
    "Stratégie": (
        ("avantage concurrentiel", "diversification", "alliances stratégiques",
         "business model", "fusions-acquisitions", "ressources et compétences", "coopétition"),
        ("l’avantage concurrentiel", "les alliances stratégiques", "les fusions-acquisitions",
         "les modèles d’affaires", "la coopétition", "la stratégie des plateformes"),
    ),
    "GRH": (
        ("recrutement", "compétences", "rémunération", "qualité de vie au travail",
         "télétravail", "gestion des talents", "dialogue social", "marque employeur"),
        ("la gestion des talents", "le télétravail", "la qualité de vie au travail",
         "le dialogue social", "la gestion des compétences", "la marque employeur"),
    ),
    "Marketing": (
        ("comportement du consommateur", "marque", "fidélisation", "publicité",
         "expérience client", "prix", "distribution", "consommation responsable"),
        ("le comportement du consommateur", "la fidélisation des clients",
         "l’expérience client", "la valeur de la marque", "la consommation responsable"),
    ),
    "Marketing digital": (
        ("réseaux sociaux", "influenceurs", "e-commerce", "données clients", "publicité ciblée",
         "omnicanal"),
        ("le marketing d’influence", "le commerce en ligne", "la publicité ciblée",
         "les stratégies omnicanales", "les communautés de marque"),
    ),
    "Comptabilité": (
        ("normes IFRS", "comptabilité financière", "information comptable",
         "normalisation comptable", "consolidation", "histoire de la comptabilité"),
        ("la normalisation comptable", "les normes IFRS", "l’information comptable",
         "l’histoire de la comptabilité", "la comptabilité environnementale"),
    ),
    "Contrôle de gestion": (
        ("tableaux de bord", "budgets", "pilotage de la performance", "calcul des coûts",
         "balanced scorecard", "contrôle interne"),
        ("le pilotage de la performance", "les tableaux de bord", "le calcul des coûts",
         "le contrôle de gestion", "la démarche budgétaire"),
    ),
    "Audit": (
        ("audit interne", "commissariat aux comptes", "gestion des risques", "conformité",
         "fraude"),
        ("l’audit interne", "la qualité de l’audit", "la détection des fraudes",
         "l’indépendance des auditeurs"),
    ),
    "Entrepreneuriat": (
        ("création d’entreprise", "start-up", "incubateurs", "capital-risque",
         "intention entrepreneuriale", "effectuation", "entrepreneuriat féminin"),
        ("l’intention entrepreneuriale", "l’accompagnement des créateurs",
         "le financement des start-up", "l’entrepreneuriat féminin", "l’effectuation"),
    ),
    "RSE": (
        ("responsabilité sociale des entreprises", "parties prenantes", "développement durable",
         "reporting extra-financier", "entreprise à mission", "devoir de vigilance"),
        ("la responsabilité sociale des entreprises", "les entreprises à mission",
         "le reporting extra-financier", "le dialogue avec les parties prenantes",
         "le devoir de vigilance"),
    ),
    "Systèmes d’information": (
        ("ERP", "CRM", "adoption des technologies", "données", "intelligence artificielle",
         "cybersécurité", "outils de gestion"),
        ("l’adoption des systèmes d’information", "les progiciels de gestion intégrés",
         "l’intelligence artificielle en entreprise", "la gouvernance des données",
         "la sous-utilisation des outils de gestion"),
    ),
    "Management public": (
        ("administration", "politiques publiques", "performance publique", "agents publics",
         "réforme de l’État"),
        ("la performance publique", "la réforme de l’État", "la gestion des agents publics",
         "l’évaluation des politiques publiques"),
    ),
    "Gouvernance d’entreprise": (
        ("conseil d’administration", "actionnaires", "dirigeants", "rémunération des dirigeants",
         "activisme actionnarial"),
        ("la gouvernance d’entreprise", "le rôle du conseil d’administration",
         "la rémunération des dirigeants", "l’activisme actionnarial"),
    ),
    "Théorie des organisations": (
        ("institutions", "théorie de l’acteur-réseau", "sensemaking", "routines",
         "bureaucratie", "légitimité"),
        ("la théorie néo-institutionnelle", "la théorie de l’acteur-réseau",
         "les routines organisationnelles", "la bureaucratie", "la légitimité des organisations"),
    ),
    "Histoire et critique du management": (
        ("business history", "managérialisme", "histoire de la pensée managériale",
         "critical management studies", "taylorisme"),
        ("la business history", "le managérialisme", "l’histoire de la pensée managériale",
         "le taylorisme", "les critiques du management"),
    ),
    "Comportement organisationnel": (
        ("motivation", "engagement", "émotions au travail", "justice organisationnelle",
         "bien-être"),
        ("la motivation au travail", "l’engagement des salariés", "les émotions au travail",
         "la justice organisationnelle"),
    ),
    "Leadership": (
        ("leadership", "management intermédiaire", "prise de décision", "autorité", "charisme"),
        ("le leadership", "le rôle des managers intermédiaires", "la prise de décision",
         "l’autorité managériale"),
    ),
    "Supply chain": (
        ("chaîne logistique", "achats", "logistique urbaine", "résilience", "traçabilité"),
        ("la chaîne logistique", "la fonction achats", "la logistique urbaine",
         "la résilience des approvisionnements"),
    ),
    "Management de projet": (
        ("projet", "méthodes agiles", "gestion des délais", "équipes projet", "PMO"),
        ("le management de projet", "les méthodes agiles", "les équipes projet",
         "l’échec des grands projets"),
    ),
    "Économie sociale et solidaire": (
        ("coopératives", "mutuelles", "associations", "entrepreneuriat social",
         "utilité sociale"),
        ("l’économie sociale et solidaire", "les coopératives", "l’entrepreneuriat social",
         "la mesure de l’utilité sociale"),
    ),
    "Management international": (
        ("internationalisation", "multinationales", "management interculturel", "expatriation",
         "pays émergents"),
        ("l’internationalisation des PME", "le management interculturel", "l’expatriation",
         "les stratégies des multinationales"),
    ),
    "Management de la santé": (
        ("hôpital", "parcours de soins", "médico-social", "performance hospitalière",
         "soignants"),
        ("la performance hospitalière", "les parcours de soins", "le management des soignants",
         "la coordination des soins"),
    ),
    "Management du sport": (
        ("clubs sportifs", "événements sportifs", "sponsoring", "gouvernance du sport"),
        ("l’économie des clubs sportifs", "le sponsoring sportif",
         "les grands événements sportifs"),
    ),
    "Industries culturelles": (
        ("musées", "festivals", "industries créatives", "médias", "patrimoine"),
        ("le management des musées", "les industries créatives", "l’économie des festivals"),
    ),
    "Tourisme et hôtellerie": (
        ("tourisme", "hôtellerie", "expérience touristique", "plateformes de réservation"),
        ("le tourisme durable", "l’expérience touristique", "l’hôtellerie de luxe"),
    ),
    "Management des connaissances": (
        ("knowledge management", "apprentissage organisationnel", "communautés de pratique",
         "capitalisation"),
        ("l’apprentissage organisationnel", "les communautés de pratique",
         "la capitalisation des connaissances"),
    ),
    "Éthique des affaires": (
        ("éthique", "corruption", "lanceurs d’alerte", "déontologie"),
        ("l’éthique des affaires", "les lanceurs d’alerte", "la lutte contre la corruption"),
    ),
    "Prospective": (
        ("prospective", "scénarios", "futurs du travail", "anticipation"),
        ("la prospective stratégique", "les futurs du travail", "la méthode des scénarios"),
    ),
    "Négociation": (
        ("négociation", "médiation", "conflits", "accords"),
        ("la négociation commerciale", "la gestion des conflits", "la médiation en entreprise"),
    ),
    "Fiscalité": (
        ("fiscalité", "optimisation fiscale", "prix de transfert", "impôt sur les sociétés"),
        ("la fiscalité des entreprises", "l’optimisation fiscale", "les prix de transfert"),
    ),
    "Management de la qualité": (
        ("qualité", "normes ISO", "amélioration continue", "lean management"),
        ("le lean management", "l’amélioration continue", "la certification qualité"),
    ),
    "Entreprises familiales": (
        ("succession", "transmission", "gouvernance familiale", "patrimoine"),
        ("la transmission des entreprises familiales", "la gouvernance familiale",
         "la succession du dirigeant"),
    ),
    "Enseignement de la gestion": (
        ("pédagogie", "MOOC", "études de cas", "formation des managers", "accréditations"),
        ("l’enseignement de la gestion", "la pédagogie par les études de cas",
         "la formation des managers", "les accréditations des écoles"),
    ),
    "Méthodologie de la recherche": (
        ("étude de cas", "méthodes qualitatives", "méthodes quantitatives",
         "recherche-intervention", "épistémologie"),
        ("la recherche-intervention", "les méthodes qualitatives",
         "l’épistémologie des sciences de gestion",
         "la publication scientifique"),
    ),
    "Gestion des risques et des crises": (
        ("gestion de crise", "risques", "continuité d’activité", "résilience organisationnelle"),
        ("la gestion de crise", "la résilience organisationnelle", "la cartographie des risques"),
    ),
    "Transformation numérique": (
        ("plateformes", "transformation numérique", "économie numérique", "travail à distance"),
        ("la transformation numérique", "l’économie des plateformes", "le travail de plateforme"),
    ),
    "Transition écologique": (
        ("transition écologique", "économie circulaire", "décarbonation", "sobriété"),
        ("l’économie circulaire", "la décarbonation des entreprises", "la sobriété"),
    ),
}

PORTRAIT_THEME = "Portraits"

CONTEXTS: tuple[str, ...] = (
    "les PME", "le secteur public", "les collectivités territoriales", "les start-up",
    "l’économie sociale et solidaire", "les hôpitaux", "les entreprises familiales",
    "les grandes entreprises", "l’enseignement supérieur", "l’industrie", "la grande distribution",
    "les banques", "le secteur associatif", "les plateformes numériques", "l’agriculture",
    "les ETI", "le luxe", "l’aéronautique", "les services", "les pays émergents",
)

TITLE_TEMPLATES: tuple[str, ...] = (
    "{Topic}", "Qu’est-ce que {topic} ?", "Comprendre {topic}", "{Topic} : enjeux et perspectives",
    "{Topic} dans {context}", "Repenser {topic}", "{Topic} : ce que montre la recherche",
    "Trois questions sur {topic}", "Les enjeux {de_topic}", "{Topic} à l’épreuve {de_context}",
    "Comment penser {topic} aujourd’hui ?", "Retour sur {topic}", "{Topic} : le cas {de_context}",
    "Pourquoi s’intéresser {a_topic} ?", "{Topic}, entre théorie et pratique",
)

# Subtitles for titles that have none, so that titles vary as much as on the platform.
ANGLES: tuple[str, ...] = (
    "regards croisés", "l’apport des sciences de gestion", "une approche par les pratiques",
    "retour d’expérience", "bilan et perspectives", "une perspective historique",
    "le point de vue des acteurs", "ce que disent les données", "mythes et réalités",
    "nouveaux regards", "un état des lieux", "quelles évolutions ?", "le cas français",
    "une comparaison internationale", "premiers résultats", "controverses et débats",
    "l’éclairage de la recherche", "une analyse critique", "un enjeu de gouvernance",
    "entre contraintes et opportunités",
)

OPENERS: tuple[str, ...] = (
    "{Topic} : un sujet au cœur de nombreux débats, chez les chercheurs comme chez les praticiens.",
    "Depuis quelques années, {topic} suscite un intérêt croissant dans {context}.",
    "Que recouvre exactement {topic} ?",
    "Cette intervention propose un regard de chercheur sur {topic}.",
    "Dans cette vidéo, l’auteur revient sur {topic} et sur ses effets dans {context}.",
    "La question {de_topic} occupe une place croissante dans les préoccupations des dirigeants.",
    "On parle beaucoup {de_topic}, sans toujours savoir ce que l’expression recouvre.",
    "Longtemps négligé, le sujet {de_topic} fait aujourd’hui l’objet de nombreux travaux.",
)

MIDDLES: tuple[str, ...] = (
    "À partir d’une étude menée auprès de {n} {orgs}, la recherche montre que {finding}.",
    "L’analyse s’appuie sur {method} et montre que {finding}.",
    "Les résultats suggèrent que {finding}, ce qui invite à nuancer les discours habituels.",
    "Nous nous appuyons sur {method} pour comprendre ce que recouvre, au quotidien, {topic}.",
    "L’exemple {de_context} montre que {finding}.",
)

CLOSERS: tuple[str, ...] = (
    "Quelles leçons en tirer pour les managers ?",
    "Des pistes concrètes sont proposées pour {audience}.",
    "L’intervention se conclut sur les perspectives de recherche ouvertes par ces travaux.",
    "Un éclairage utile pour {audience}.",
    "Ces travaux ouvrent un débat qui dépasse largement {context}.",
)

FINDINGS: tuple[str, ...] = (
    "les pratiques diffèrent fortement selon la taille des organisations",
    "les outils de gestion ne sont jamais neutres",
    "l’appropriation par les acteurs est décisive",
    "les effets sur la performance restent ambigus",
    "le rôle des managers intermédiaires est souvent sous-estimé",
    "les dispositifs formels ne suffisent pas",
    "la confiance joue un rôle central",
    "les discours et les pratiques divergent souvent",
    "l’histoire de l’organisation pèse sur ses choix",
    "les usagers sont rarement associés aux décisions",
)

METHODS: tuple[str, ...] = (
    "une enquête quantitative", "une étude de cas longitudinale", "des entretiens semi-directifs",
    "une recherche-intervention", "une analyse d’archives", "une expérimentation en laboratoire",
    "une revue de la littérature", "une ethnographie de plusieurs mois",
)

ORGS: tuple[str, ...] = (
    "entreprises", "PME", "collectivités", "hôpitaux", "start-up", "établissements publics",
    "coopératives", "cabinets de conseil", "dirigeants", "salariés",
)

AUDIENCES: tuple[str, ...] = (
    "les dirigeants", "les praticiens", "les décideurs publics", "les étudiants en management",
    "les DRH", "les chercheurs", "les élus locaux",
)

LICENSES: tuple[str, ...] = (
    "https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/licenses/by-sa/4.0/",
    "https://creativecommons.org/licenses/by-nc/4.0/",
    "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    "https://creativecommons.org/licenses/by-nc-nd/3.0/fr/",
)
