"""A small fixed network whose entries each answer one written query best."""

from datetime import UTC, datetime

from tests.factories import BlogFactory, BloggerFactory, EntryFactory, MissionFactory


def when(year: int, month: int = 6, day: int = 15) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def paragraph(text: str) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>")]


def build_corpus() -> dict[str, object]:
    """Two missions, three blogs, fourteen entries; returned by short name."""
    amman = MissionFactory(
        slug="amman", name="Embassy in Amman", country="Jordan", country_code="JO"
    )
    tehran = MissionFactory(
        slug="tehran", name="Embassy in Tehran", country="Iran", country_code="IR"
    )
    paris = MissionFactory(
        slug="paris", name="Embassy in Paris", country="France", country_code="FR"
    )
    farrokh = BloggerFactory(display_name="Leila Farrokh", slug="leila-farrokh", mission=tehran)
    haddad = BloggerFactory(display_name="Yusuf Haddad", slug="yusuf-haddad", mission=amman)
    dufresne = BloggerFactory(
        display_name="Camille Dufresne", slug="camille-dufresne", mission=paris
    )
    amman_blog = BlogFactory(
        title="Notes from Amman", slug="amman-notes", mission=amman, bloggers=[haddad]
    )
    tehran_blog = BlogFactory(
        title="Tehran voices", slug="tehran-voices", mission=tehran, bloggers=[farrokh]
    )
    paris_blog = BlogFactory(
        title="Carnet de Paris", slug="carnet", mission=paris, bloggers=[dufresne]
    )

    def entry(blog, title, summary, body, tags=(), language="en", year=2024, authors=None):
        return EntryFactory(
            blog=blog,
            title=title,
            summary=summary,
            body=paragraph(body),
            tags=list(tags),
            language=language,
            date=when(year),
            authors=authors or list(blog.bloggers.all()),
        )

    return {
        "amman": amman_blog,
        "tehran": tehran_blog,
        "paris": paris_blog,
        "farrokh": farrokh,
        "haddad": haddad,
        "digital": entry(
            amman_blog,
            "Digital diplomacy in practice",
            "How embassies use social media to reach people.",
            "Our embassy has answered questions online since 2009, on many platforms.",
            tags=["digital diplomacy"],
            year=2023,
        ),
        "briefing": entry(
            amman_blog,
            "Notes from a press briefing",
            "What journalists asked the spokesperson this week.",
            "A question on digital diplomacy came up, and one on twitter accounts of ministers.",
            tags=["press"],
            year=2024,
        ),
        "climate": entry(
            amman_blog,
            "Water for the Jordan valley",
            "Climate change and the farmers of the valley.",
            "Climatic shifts shorten the growing season; drip irrigation helps.",
            tags=["climate"],
            year=2022,
        ),
        "visa": entry(
            amman_blog,
            "Appointments now booked online",
            "Book your visa interview without queuing at the consulate.",
            "The consular section now takes bookings for visas and passports on its website.",
            tags=["consular"],
            year=2024,
        ),
        "iftar": entry(
            amman_blog,
            "Ramadan evening at the residence",
            "The ambassador hosted community leaders for iftar.",
            "Dates, lentil soup and a conversation about volunteering.",
            tags=["culture"],
            year=2023,
        ),
        "wind": entry(
            amman_blog,
            "Trade mission brings turbine makers",
            "Wind energy firms meet local partners.",
            "Renewable energy is a growing share of exports; the wind blows hard in the south.",
            tags=["trade", "energy"],
            year=2021,
        ),
        "election": entry(
            amman_blog,
            "Observers deployed across the country",
            "Our observers watched polling stations from dawn.",
            "Ballots were counted in public; a cold wind blew all day at the polling stations.",
            tags=["elections"],
            year=2024,
        ),
        "peace": entry(
            amman_blog,
            "Women in peacebuilding",
            "A conference on the women, peace and security agenda.",
            "Resolution 1325 turned twenty-five; negotiators shared what worked.",
            tags=["peace"],
            year=2025,
        ),
        "french": entry(
            paris_blog,
            "La diplomatie culturelle à Paris",
            "Une exposition sur la traduction et les traducteurs.",
            "Les traducteurs de l'ambassade présentent leur travail au public.",
            tags=["culture"],
            language="fr",
            year=2024,
        ),
        "persian": entry(
            tehran_blog,
            "گفت‌وگو درباره آب",
            "کم‌آبی در تهران و راه‌حل‌های محلی",
            "کشاورزان و شهروندان درباره آب گفت‌وگو کردند.",
            tags=["water"],
            language="fa",
            year=2024,
        ),
        "chess": entry(
            tehran_blog,
            "Chess tournament for students",
            "Scholarship winners announced after five rounds.",
            "The final game lasted four hours.",
            tags=["education"],
            year=2025,
        ),
        "markup": entry(
            tehran_blog,
            "Tom & Jerry <script>alert(1)</script> cartoons",
            "Animated diplomacy for children.",
            "A screening of cartoons at the cultural centre.",
            tags=["culture"],
            year=2020,
        ),
    }


# Ten written queries, each with the entry a reader expects first.
RELEVANCE_QUERIES = [
    ("digital diplomacy", "Digital diplomacy in practice"),
    ('"digital diplomacy" -twitter', "Digital diplomacy in practice"),
    ("climat*", "Water for the Jordan valley"),
    ("visas", "Appointments now booked online"),
    ("consular", "Appointments now booked online"),
    ("wind energy", "Trade mission brings turbine makers"),
    ("observers polling", "Observers deployed across the country"),
    ("diplomatie", "La diplomatie culturelle à Paris"),
    ("آب", "گفت‌وگو درباره آب"),
    ("Farrokh chess", "Chess tournament for students"),
]
