"""A demo alumni community: 30 members, two managers, threads in English and French, events,
a private blog with two entries, and a directory some members chose to appear in.

Every person is invented and every address uses the reserved `.example` domain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from dragoman.blogs import services as blog_services
from dragoman.blogs.models import Blogger

from . import rights, services
from .models import Community, Membership

DEMO_MEMBER_PASSWORD = "demo-member-password"  # noqa: S105 - printed to the demo's user
FIRST = [
    "Amara", "Bilal", "Chloé", "Dawit", "Elena", "Farah", "Gustavo", "Hana", "Ibrahim", "Jae",
    "Kwame", "Leila", "Mateo", "Nadia", "Olu", "Priya", "Quentin", "Rania", "Sipho", "Tamar",
    "Umar", "Valeria", "Wanjiru", "Xavier", "Yasmin", "Zaid", "Aïcha", "Bruno", "Carmen", "Dina",
]  # fmt: skip
CITIES = ["Nairobi", "Amman", "Lyon", "Lima", "Tehran", "Karachi", "Kinshasa", "Jakarta"]
THREADS = [
    ("en", "Reunion in June: who is coming?", [
        "We are planning the five-year reunion in June. Who can make it?",
        "Count me in, as long as it is not during exams.",
        "I can host a table for the Nairobi group.",
    ]),
    ("fr", "Offres de stage à Lyon", [
        "Mon organisation cherche deux stagiaires pour l'automne. Intéressés ?",
        "Oui ! Je transmets à ma promotion.",
    ]),
    ("en", "Mentoring the new scholars", [
        "The new cohort arrives in September. Volunteers to mentor one scholar each?",
        "Happy to help with anyone working on water policy.",
        "Same here, for public health.",
    ]),
    ("fr", "Club de lecture du mois", [
        "Ce mois-ci : un roman de Mariama Bâ. On en parle le 15 ?",
        "Parfait, je l'ai déjà commencé.",
    ]),
]  # fmt: skip


def demo_community_build(*, now: datetime, report: Callable[[str], None] = print) -> None:
    if Community.objects.filter(slug="scholars-alumni").exists():
        return
    users = get_user_model().objects
    with transaction.atomic():
        community = services.community_create(
            name="Scholars' Alumni Network",
            slug="scholars-alumni",
            description=(
                "Alumni of the network's scholarship programme: news, mentoring, jobs and "
                "reunions, for members only."
            ),
            languages=["en", "fr"],
            listed=True,
            how_to_join=(
                "Alumni of the programme are invited by email when they graduate. If you are "
                "an alumnus and were not invited, ask below: a manager checks the register."
            ),
        )
        memberships: list[Membership] = []
        for number, first in enumerate(FIRST):
            email = f"{first.lower().replace('ï', 'i').replace('é', 'e')}@alumni.example"
            user = users.create_user(username=email, email=email, first_name=first)
            if number < 2:
                user.set_password(DEMO_MEMBER_PASSWORD)
                user.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            membership = services.member_add(
                community=community,
                user=user,
                role=Membership.Role.MANAGER if number == 0 else Membership.Role.MEMBER,
                name=f"{first} {'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[number % 26]}.",
            )
            services.profile_update(
                membership=membership,
                city=CITIES[number % len(CITIES)],
                organisation="Ministry of Water" if number % 3 == 0 else "",
                in_directory=number % 2 == 0,
                shown_fields=["city", "organisation"],
                notify_replies=number < 5,
            )
            memberships.append(membership)
        manager, member = memberships[0], memberships[1]
        for number, (language, title, messages) in enumerate(THREADS):
            author = memberships[(number * 3 + 1) % len(memberships)]
            topic = services.topic_create(
                membership=author, title=title, body=messages[0], language=language
            )
            for offset, body in enumerate(messages[1:], start=1):
                services.reply_create(
                    membership=memberships[(number * 3 + offset * 5) % len(memberships)],
                    topic=topic,
                    body=body,
                )
        for days, title, place, link in (
            (12, "Alumni reception at the Residence", "The Residence, Nairobi", ""),
            (30, "Online careers evening", "", "https://meet.example/careers"),
            (75, "Five-year reunion", "Lyon", ""),
        ):
            services.event_create(
                community=community,
                acting_user=manager.user,
                title=title,
                description="Members and their guests are welcome.",
                starts_at=now + timedelta(days=days),
                ends_at=now + timedelta(days=days, hours=2),
                place=place,
                link=link,
            )
        # Credited as every manager's entry is: to the shared profile that names nobody.
        blogger = Blogger.objects.filter(slug=rights.COMMUNITY_AUTHOR_SLUG).first()
        if blogger is not None and community.blog is not None:
            for days, title in ((20, "Welcome to the network"), (3, "Scholarships open again")):
                blog_services.entry_create(
                    blog=community.blog,
                    title=title,
                    summary="News for alumni only.",
                    body=[("paragraph", "<p>For the members of the alumni network.</p>")],
                    authors=[blogger],
                    date=now - timedelta(days=days),
                    tags=[],
                    language="en",
                    publish=True,
                )
    report(
        f"community manager sign-in: '{manager.user.email}' / '{DEMO_MEMBER_PASSWORD}' "
        f"at /accounts/login/ (then /members/{community.slug}/manage/, and /admin/ to "
        "write on the community's blog)"
    )
    report(
        f"community member sign-in: '{member.user.email}' / '{DEMO_MEMBER_PASSWORD}', or a "
        "one-time code: /accounts/login/code/ (the email is printed in this console)"
    )
