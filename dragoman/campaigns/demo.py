"""A demo campaign: birthday wishes for an imprisoned writer, a hundred messages from many
countries in six languages, most on the wall, some waiting for a moderator.

The writer, the names and the messages are invented.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from dragoman.blogs.models import HomePage

from . import services
from .models import CampaignPage, Message

MESSAGE_COUNT = 100
PENDING_COUNT = 12

# (language, country codes where the demo's writers live, messages)
WISHES = [
    (
        "en",
        ["GB", "US", "KE", "IN", "AU", "CA", "NG", "ZA", "IE", "GH"],
        [
            "Happy birthday, Leyla. Your words reached us; we are waiting for you.",
            "Thinking of you today and every day until you are free.",
            "A writer's voice cannot be locked away. Happy birthday.",
            "From our book club: we read your stories aloud tonight.",
            "May next year's birthday be at home with your family.",
        ],
    ),
    (
        "fr",
        ["FR", "BE", "SN", "CD", "CA", "CH", "CI", "ML"],
        [
            "Joyeux anniversaire, Leyla. Nous pensons à vous.",
            "Vos mots nous accompagnent. Courage et bon anniversaire.",
            "Que l'an prochain vous trouve libre, parmi les vôtres.",
        ],
    ),
    (
        "es",
        ["MX", "ES", "AR", "CO", "CL", "PE"],
        [
            "Feliz cumpleaños, Leyla. Te esperamos.",
            "Tus palabras siguen vivas entre nosotros. Un abrazo.",
            "Que tu próximo cumpleaños sea en libertad.",
        ],
    ),
    (
        "ar",
        ["JO", "EG", "MA", "LB", "TN"],
        [
            "عيد ميلاد سعيد يا ليلى. نحن بانتظارك.",
            "كلماتك وصلت إلينا. كل عام وأنت بخير.",
        ],
    ),
    (
        "fa",
        ["IR", "AF", "TJ"],
        [
            "تولدت مبارک لیلا. منتظرت هستیم.",
            "صدای تو خاموش نمی‌شود. تولدت مبارک.",
        ],
    ),
    (
        "ru",
        ["RU", "KZ", "GE", "AM"],
        [
            "С днём рождения, Лейла! Мы ждём вас.",
            "Ваши слова с нами. Держитесь.",
        ],
    ),
]
NAMES = ["Amina", "Tom", "Sofía", "Yusuf", "Marie", "Arash", "Olga", "Kofi", "Priya", ""]


@transaction.atomic
def demo_campaign_build(*, now: datetime, report: Callable[[str], None] = print) -> CampaignPage:
    rng = random.Random(1977)  # noqa: S311 - the same demo every time, not a secret
    home = HomePage.objects.get()
    campaign = CampaignPage(
        title="Birthday wishes for Leyla",
        slug="birthday-wishes",
        introduction=(
            "Leyla, a writer, spends her birthday in prison for what she wrote. Send her your "
            "wishes: the digital team will print every message on the wall and deliver them "
            "through her family and her lawyers."
        ),
        closes_at=now + timedelta(days=21),
        delivery_note="",
    )
    home.add_child(instance=campaign)
    campaign.save_revision().publish()

    messages = []
    for number in range(MESSAGE_COUNT):
        language, country_codes, texts = WISHES[number % len(WISHES)]
        text = texts[(number // len(WISHES)) % len(texts)]
        # The same wish is sent by several people: each keeps its own words by a signature.
        name = NAMES[rng.randrange(len(NAMES))]
        body = f"{text} — {name or '·'} {number + 1}"
        messages.append(
            services.message_submit(
                campaign=campaign,
                name=name,
                country=country_codes[rng.randrange(len(country_codes))],
                language=language,
                body=body,
                now=now - timedelta(minutes=37 * (MESSAGE_COUNT - number)),
            )
        )
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    on_wall = messages[: MESSAGE_COUNT - PENDING_COUNT]
    services.messages_moderate(messages=on_wall, action=services.APPROVE, acting_user=admin)
    waiting = Message.objects.filter(campaign=campaign, status=Message.Status.PENDING).count()
    report(f"1 campaign at {campaign.url}: {len(on_wall)} messages on the wall, {waiting} waiting")
    return campaign
