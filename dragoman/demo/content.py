"""The fictional demo network: missions, bloggers, blogs and what they write.

Every person here is invented. Missions are placed in real cities so that the directory,
maps of the network and languages look like the real thing.
"""

MISSIONS = [
    # slug, name, kind, city, country, country code, continent
    ("amman", "Embassy in Amman", "embassy", "Amman", "Jordan", "JO", "middle-east"),
    ("tehran", "Embassy in Tehran", "embassy", "Tehran", "Iran", "IR", "middle-east"),
    ("goma", "Liaison Office in Goma", "consulate", "Goma", "DR Congo", "CD", "africa"),
    (
        "nairobi",
        "High Commission in Nairobi",
        "high-commission",
        "Nairobi",
        "Kenya",
        "KE",
        "africa",
    ),
    (
        "islamabad",
        "High Commission in Islamabad",
        "high-commission",
        "Islamabad",
        "Pakistan",
        "PK",
        "asia",
    ),
    ("jakarta", "Embassy in Jakarta", "embassy", "Jakarta", "Indonesia", "ID", "asia"),
    ("mexico-city", "Embassy in Mexico City", "embassy", "Mexico City", "Mexico", "MX", "americas"),
    (
        "washington",
        "Embassy in Washington",
        "embassy",
        "Washington",
        "United States",
        "US",
        "americas",
    ),
    ("moscow", "Embassy in Moscow", "embassy", "Moscow", "Russia", "RU", "europe"),
    ("paris", "Embassy in Paris", "embassy", "Paris", "France", "FR", "europe"),
    (
        "london",
        "Digital Diplomacy Department",
        "ministry",
        "London",
        "United Kingdom",
        "GB",
        "europe",
    ),
]

BLOGGERS = [
    # slug, name, job title, mission slug, bio
    (
        "mira-halden",
        "Mira Halden",
        "Head of Digital Engagement",
        "london",
        "Leads the small team that gives colleagues permission to blog and coaches them.",
    ),
    (
        "tomas-vellacott",
        "Tomas Vellacott",
        "Ambassador",
        "amman",
        "Writes about water, refugees and the city he has come to love.",
    ),
    (
        "leila-farrokh",
        "Leila Farrokh",
        "Press and Public Affairs Officer",
        "tehran",
        "Answers questions from the public in Farsi and English.",
    ),
    (
        "ines-obuya",
        "Ines Obuya",
        "Humanitarian Adviser",
        "goma",
        "Field notes from eastern Congo on aid, security and the people she works with.",
    ),
    (
        "daniel-kamau-reyes",
        "Daniel Kamau-Reyes",
        "Deputy High Commissioner",
        "nairobi",
        "Trade, technology and the long commute through Nairobi traffic.",
    ),
    (
        "sana-qureshi-webb",
        "Sana Qureshi-Webb",
        "Political Counsellor",
        "islamabad",
        "Politics, floods and cricket, not always in that order.",
    ),
    (
        "ratna-wibisono-clark",
        "Ratna Wibisono-Clark",
        "Climate Attaché",
        "jakarta",
        "Covers climate diplomacy across the archipelago.",
    ),
    (
        "pablo-arrieta-lund",
        "Pablo Arrieta Lund",
        "Cultural Attaché",
        "mexico-city",
        "Escribe sobre cultura, becas y lenguas indígenas.",
    ),
    (
        "grace-whitlow",
        "Grace Whitlow",
        "Spokesperson",
        "washington",
        "Runs the embassy's official channels and explains them here.",
    ),
    (
        "oleg-marten",
        "Oleg Marten",
        "Second Secretary, Press",
        "moscow",
        "Writes in Russian and English about culture, science and consular work.",
    ),
    (
        "camille-dufresne-ortiz",
        "Camille Dufresne-Ortiz",
        "Ambassador",
        "paris",
        "Notes from Paris on Europe, culture and alumni networks.",
    ),
    (
        "yusuf-haddad-brenner",
        "Yusuf Haddad-Brenner",
        "Arabic Spokesperson",
        "amman",
        "The embassy's voice in Arabic across the region.",
    ),
    (
        "anneke-solberg",
        "Anneke Solberg",
        "Digital Diplomacy Coach",
        "london",
        "Coaches new bloggers and writes about what works.",
    ),
    (
        "kofi-mensah-hart",
        "Kofi Mensah-Hart",
        "Chevening Alumni Officer",
        "nairobi",
        "Keeps thousands of scholarship alumni in touch with each other.",
    ),
]

BLOGS = [
    # slug, title, description, mission slug, blogger slugs, main language
    (
        "digital-diplomacy",
        "Digital diplomacy",
        "A blog about digital diplomacy: how we try to solve foreign policy problems through "
        "digital engagement, and what we learn from other ministries.",
        "london",
        ["mira-halden", "anneke-solberg"],
        "en",
    ),
    (
        "amman-notes",
        "Notes from Amman",
        "The ambassador and the Arabic spokesperson on Jordan, the region and the embassy's work.",
        "amman",
        ["tomas-vellacott", "yusuf-haddad-brenner"],
        "en",
    ),
    (
        "tehran-voices",
        "Tehran voices",
        "Questions from the public, answered by the embassy, in Farsi and English.",
        "tehran",
        ["leila-farrokh"],
        "fa",
    ),
    (
        "goma-field-notes",
        "Field notes from Goma",
        "Humanitarian work in eastern Congo, seen from the liaison office.",
        "goma",
        ["ines-obuya"],
        "en",
    ),
    (
        "nairobi-exchange",
        "Nairobi exchange",
        "Trade, technology, and the alumni who link Kenya with the rest of the world.",
        "nairobi",
        ["daniel-kamau-reyes", "kofi-mensah-hart"],
        "en",
    ),
    (
        "islamabad-diary",
        "Islamabad diary",
        "Politics, floods, and cricket diplomacy from the high commission.",
        "islamabad",
        ["sana-qureshi-webb"],
        "en",
    ),
    (
        "archipelago-climate",
        "Archipelago climate",
        "Climate diplomacy across seventeen thousand islands.",
        "jakarta",
        ["ratna-wibisono-clark"],
        "en",
    ),
    (
        "puentes",
        "Puentes",
        "Cultura, becas y diálogo entre México y el mundo.",
        "mexico-city",
        ["pablo-arrieta-lund"],
        "es",
    ),
    (
        "washington-channels",
        "Washington channels",
        "How the embassy uses its official channels to talk with Americans.",
        "washington",
        ["grace-whitlow"],
        "en",
    ),
    (
        "moscow-letters",
        "Moscow letters",
        "Culture, science and consular news from Moscow, in Russian and English.",
        "moscow",
        ["oleg-marten"],
        "en",
    ),
    (
        "paris-carnet",
        "Carnet de Paris",
        "Notes from Paris on Europe, culture and the alumni network.",
        "paris",
        ["camille-dufresne-ortiz"],
        "en",
    ),
]

TAGS = [
    "digital diplomacy",
    "engagement",
    "social media",
    "twitter",
    "facebook",
    "video",
    "evaluation",
    "community",
    "campaign",
    "policy",
    "climate",
    "water",
    "refugees",
    "humanitarian",
    "trade",
    "technology",
    "culture",
    "scholarships",
    "alumni",
    "consular",
    "elections",
    "human rights",
    "security",
    "design",
    "summit",
]

# English entries: title, summary, paragraphs, tags. Bodies are kept short but real.
ENGLISH_ENTRIES = [
    (
        "Why our embassies use social media",
        "Diplomats are not online because it is fashionable, but because it lets them do what "
        "they could not do before.",
        [
            "Across the network, more of our missions now talk with local audiences every day. "
            "They are not doing it because it is new; they are doing it because it works.",
            "Our team gives permission and advice. We do not write for anyone, and it would not "
            "work if we did: readers can tell a press release from a person.",
        ],
        ["digital diplomacy", "social media", "engagement"],
    ),
    (
        "Is there a community for digital diplomats?",
        "People doing digital jobs in foreign ministries have more in common with each other "
        "than with anyone else. Should we meet?",
        [
            "I keep meeting colleagues from other ministries who face the same questions: how to "
            "answer the public in a crisis, how to measure engagement, how to train ambassadors.",
            "If a community for practitioners already exists, tell me. If not, maybe we should "
            "build one together.",
        ],
        ["community", "digital diplomacy"],
    ),
    (
        "Water, one bucket at a time",
        "Jordan is one of the driest countries on earth. A visit to a village water project.",
        [
            "In the village we visited, families store rainwater from their roofs in tanks the "
            "size of a car. The project pays for half; the families pay for the rest.",
            "The water minister told us that every litre saved in a village is a litre a city "
            "does not have to pump uphill.",
        ],
        ["water", "climate", "humanitarian"],
    ),
    (
        "What a refugee camp needs in winter",
        "Snow came early this year. What changes in a camp when the temperature drops.",
        [
            "Blankets are the obvious answer, but the real needs are heating fuel, dry floors "
            "and a way for children to keep going to school.",
            "We asked readers which questions they wanted answered; the most common was how aid "
            "is checked. The answer is in the second half of this entry.",
        ],
        ["refugees", "humanitarian"],
    ),
    (
        "Answering questions live on a webcam",
        "Last week the ambassador answered questions from the public for an hour. What we learnt.",
        [
            "We took 140 questions in one hour, in three languages. Most were about visas; the "
            "most difficult were about foreign policy, and they deserved a straight answer.",
            "Next time we will publish the questions in advance so that people can vote for them.",
        ],
        ["engagement", "video", "consular"],
    ),
    (
        "The road to Goma",
        "The drive from the airport takes twenty minutes and passes three eras of history.",
        [
            "Goma sits between a lake and a volcano. Both shape everything here, from where "
            "people build to how aid convoys are planned.",
            "Our office is small, and most of our work is listening: to local officials, to aid "
            "agencies and to people who have moved too many times.",
        ],
        ["humanitarian", "security"],
    ),
    (
        "Mobile money and small traders",
        "How phone payments changed a market in Nairobi, and what trade policy can learn from it.",
        [
            "A woman selling tomatoes showed me her phone: every sale, every supplier, every loan "
            "is there. She has never had a bank account.",
            "When we talk about trade agreements, this is the economy they must work for.",
        ],
        ["trade", "technology"],
    ),
    (
        "Ten thousand alumni, one network",
        "Scholarship alumni are our most loyal friends. Keeping them in touch is harder than it sounds.",
        [
            "Every year a new group returns home from their studies. Some become ministers; most "
            "become teachers, engineers and doctors.",
            "We are building a members-only space where alumni can find each other by city and "
            "by subject, without handing their data to a social network.",
        ],
        ["alumni", "scholarships", "community"],
    ),
    (
        "Cricket diplomacy",
        "A friendly match between the high commission and a local club, and why it mattered.",
        [
            "We lost, narrowly and deservedly. Afterwards we talked for two hours with people we "
            "would never have met in an office.",
            "Diplomacy is mostly conversation, and conversation needs a reason to start.",
        ],
        ["culture", "engagement"],
    ),
    (
        "After the floods",
        "Three months on, what reconstruction looks like in the districts we visited.",
        [
            "Roads come back first, then schools, then the slow work of replanting fields.",
            "We publish here what our funding paid for, so that anyone can check it.",
        ],
        ["humanitarian", "climate"],
    ),
    (
        "Mangroves are climate infrastructure",
        "Planting mangroves protects coasts better than concrete, and costs less.",
        [
            "On the north coast, a line of young mangroves now stands where a sea wall failed.",
            "Our climate team funds local groups who know which species grow where.",
        ],
        ["climate", "policy"],
    ),
    (
        "Why we measure what we do online",
        "Followers are not the point. What we count instead, and why.",
        [
            "We stopped reporting follower numbers. Instead we ask: did the right people hear "
            "us, did they answer, and did anything change?",
            "Evaluation that respects privacy counts conversations, not people.",
        ],
        ["evaluation", "digital diplomacy"],
    ),
    (
        "Our official channels, and how to check them",
        "Fake accounts pretending to be embassies are common. Here is how to tell the real ones.",
        [
            "Every official account of ours is listed in our register, with the date we last "
            "checked it.",
            "If an account is not on the list, it does not speak for us. Please tell us about it.",
        ],
        ["social media", "twitter", "facebook"],
    ),
    (
        "Designing a blog people can read on a slow phone",
        "Most of our readers are on mobile networks that drop. We design for them first.",
        [
            "A page that weighs fourteen kilobytes arrives in one round trip. We treat that as a "
            "budget, like money.",
            "No web fonts, no trackers, no scripts needed to read. It is faster and kinder.",
        ],
        ["design", "technology"],
    ),
    (
        "Election observers, explained",
        "What international observers do on election day, and what they do not.",
        [
            "Observers do not run elections and do not declare winners. They watch, count and "
            "write down what they see.",
            "Their reports matter most months later, when laws are changed.",
        ],
        ["elections", "human rights"],
    ),
    (
        "A summit seen from the press room",
        "Two days, forty delegations and one very long night.",
        [
            "The communiqué was agreed at four in the morning. Its most important sentence was "
            "the shortest.",
            "We answered questions from journalists in six languages and from the public online.",
        ],
        ["summit", "policy"],
    ),
    (
        "Consular work on a Sunday",
        "A lost passport, a hospital visit and a family reunited.",
        [
            "Most of what a consulate does never makes the news, and should not.",
            "If you need help abroad, call the number on our website at any hour.",
        ],
        ["consular"],
    ),
    (
        "A campaign that started with a question",
        "We asked young people what they wanted from us. They told us, in detail.",
        [
            "Two thousand replies in a week. The most common request was for scholarships "
            "information in local languages.",
            "So we are translating it, and this blog will follow in Arabic and Farsi.",
        ],
        ["campaign", "engagement", "scholarships"],
    ),
]

# Entries written in other languages than English: language, title, summary, paragraphs, tags.
OTHER_LANGUAGE_ENTRIES = [
    (
        "ar",
        "yusuf-haddad-brenner",
        "amman-notes",
        "لماذا نكتب بالعربية؟",
        "نريد أن نتحدث مع الناس في المنطقة بلغتهم، لا أن نترجم لهم فقط.",
        [
            "نكتب هذه المدونة بالعربية لأن الحوار الحقيقي يبدأ باللغة المشتركة. "
            "نقرأ تعليقاتكم ونرد عليها بأنفسنا.",
            "إذا كان لديكم سؤال عن التأشيرات أو المنح الدراسية أو سياستنا في المنطقة، "
            "اكتبوه في التعليقات وسنجيب عليه.",
        ],
        ["engagement", "community"],
    ),
    (
        "ar",
        "tomas-vellacott",
        "amman-notes",
        "الماء في الأردن: قطرة بعد قطرة",
        "زيارة إلى مشروع لتجميع مياه الأمطار في قرية صغيرة.",
        [
            "في القرية التي زرناها تجمع العائلات مياه الأمطار من الأسطح في خزانات كبيرة.",
            "قال لنا وزير المياه إن كل لتر يتم توفيره في القرية هو لتر لا تحتاج المدينة إلى ضخه.",
        ],
        ["water", "climate"],
    ),
    (
        "fa",
        "leila-farrokh",
        "tehran-voices",
        "پاسخ به پرسش‌های شما درباره ویزا",
        "هر هفته به پرسش‌های مردم درباره ویزای تحصیلی و سفر پاسخ می‌دهیم.",
        [
            "بیشترین پرسش‌های این هفته درباره مدت زمان بررسی درخواست ویزا بود. "
            "در این نوشته مراحل کار را توضیح می‌دهیم.",
            "اگر پرسش دیگری دارید، آن را در بخش نظرات بنویسید. ما خودمان پاسخ می‌دهیم.",
        ],
        ["consular", "scholarships"],
    ),
    (
        "fa",
        "leila-farrokh",
        "tehran-voices",
        "گفت‌وگو با جوانان درباره فناوری",
        "گزارشی از دیدار با دانشجویان رشته‌های فنی در تهران.",
        [
            "دانشجویان درباره آینده کار، هوش مصنوعی و فرصت‌های تحصیل در خارج پرسیدند.",
            "ما یاد گرفتیم که بهترین گفت‌وگوها با یک پرسش ساده شروع می‌شوند.",
        ],
        ["technology", "engagement"],
    ),
    (
        "fr",
        "camille-dufresne-ortiz",
        "paris-carnet",
        "Le réseau des anciens boursiers",
        "Comment garder le contact avec des milliers d’anciens boursiers à travers la France.",
        [
            "Chaque année, de nouveaux boursiers rentrent de leurs études. Beaucoup deviennent "
            "enseignants, ingénieurs ou médecins.",
            "Nous construisons un espace réservé aux membres pour qu’ils puissent se retrouver.",
        ],
        ["alumni", "scholarships"],
    ),
    (
        "es",
        "pablo-arrieta-lund",
        "puentes",
        "Lenguas indígenas en la radio comunitaria",
        "Una radio en Oaxaca transmite en zapoteco y en español. Fuimos a escucharla.",
        [
            "La emisora funciona con voluntarios y un transmisor donado hace diez años.",
            "Hablamos de cómo apoyar medios locales sin decirles qué deben decir.",
        ],
        ["culture", "community"],
    ),
    (
        "ru",
        "oleg-marten",
        "moscow-letters",
        "Наука без границ",
        "Рассказ о совместном проекте молодых учёных из двух стран.",
        [
            "Проект начался с письма аспиранта и через два года превратился в лабораторию.",
            "Мы рады отвечать на ваши вопросы о стипендиях и научных обменах.",
        ],
        ["technology", "scholarships"],
    ),
]

# (original title, title of its translation): entries above that are linked as translations.
TRANSLATIONS = [
    ("Water, one bucket at a time", "الماء في الأردن: قطرة بعد قطرة"),
]

# The network's name and description in each interface language (Settings → Network name).
NETWORK_NAMES = {
    "en": (
        "Global conversations",
        "Diplomats write from their posts around the world; the words are their own.",
    ),
    "fr": (
        "Conversations mondiales",
        "Des diplomates écrivent depuis leur poste, partout dans le monde ; les mots sont les "
        "leurs.",
    ),
    "es": (
        "Conversaciones globales",
        "Diplomáticos escriben desde sus destinos en todo el mundo; las palabras son suyas.",
    ),
    "ar": (
        "حوارات عالمية",
        "دبلوماسيون يكتبون من مقار عملهم حول العالم، والكلمات كلماتهم.",
    ),
    "fa": (
        "گفت‌وگوهای جهانی",
        "دیپلمات‌ها از محل مأموریت خود در سراسر جهان می‌نویسند و سخنانشان از آنِ خودشان است.",
    ),
    "ru": (
        "Глобальные беседы",
        "Дипломаты пишут с мест службы по всему миру; слова принадлежат им самим.",
    ),
}
