"""The demo's conversations: readers' comments in the entries' languages, official replies.

Every name and word here is invented. Comments go through the conversations app's services,
as a reader's and a blogger's would, so that statuses, publication times and the answering
report come out as they do on a real network; only the clock is set back, so that answers
take from an hour to a couple of days.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.utils import timezone

from dragoman.authoring import services as authoring_services
from dragoman.blogs.models import Blogger, BlogPage, EntryPage
from dragoman.conversations import queries as conversation_queries
from dragoman.conversations import services as conversation_services
from dragoman.conversations.models import BlogConversationSettings, Comment

# Comments here appear at once and are moderated afterwards: the spokesperson's blog, whose
# readers expect the quick back-and-forth of the embassy's channels.
POST_MODERATED_BLOG = "washington-channels"


class Thread(NamedTuple):
    """A reader's comment and, when it was answered, the blogger's official reply."""

    name: str
    body: str
    reply: str = ""
    # Still waiting in the moderation queue (on a pre-moderated blog).
    pending: bool = False


# English conversations, by the title of the entry they are under (dragoman/demo/content.py).
ENGLISH_THREADS: dict[str, list[Thread]] = {
    "Why our embassies use social media": [
        Thread(
            "Priya N.",
            "We run the digital side of a small ministry and face exactly this. How many "
            "people are on your team, and who signs off a blog entry before it goes out?",
            "Seven of us, for the whole network. Nobody signs off: bloggers publish themselves, "
            "and we coach them before their first entry and whenever they ask.",
        ),
        Thread(
            "Lena Fischer",
            "Readers can tell a press release from a person: so true. The personal entries are "
            "the ones I share.",
        ),
    ],
    "Is there a community for digital diplomats?": [
        Thread(
            "Jonas Ekdahl",
            "Count me in. A shared list of what worked in a crisis would already help a lot.",
            "Thank you, Jonas. We will start with exactly that list and share it here first.",
        ),
        Thread(
            "Amara D.",
            "There is an informal group of press officers in our region. Shall I put you in touch?",
            "Yes please! Write to the embassy's press address and mention this entry.",
        ),
        Thread("M. Okafor", "Would such a community be open to local staff too?", pending=True),
    ],
    "Water, one bucket at a time": [
        Thread(
            "Rania",
            "I visited the rainwater project last spring. The tanks are bigger than they look "
            "in the photographs!",
            "They are. The families told us one tank lasts them most of the dry months.",
        ),
        Thread(
            "Ahmad T.",
            "Will the embassy support similar projects in the northern villages?",
            "We are talking with two municipalities in the north now. I will write about it "
            "when there is something concrete to say.",
        ),
    ],
    "Our official channels, and how to check them": [
        Thread(
            "Wanjiru K.",
            "I nearly followed a fake account last week. Its picture was the real flag.",
            "That is why we keep the register. If you see another impostor, tell us here.",
        ),
        Thread(
            "Otieno",
            "Could you list the alumni network's accounts in the register too?",
            "Good idea: they are in the register from today, under the high commission.",
        ),
        Thread(
            "Anonymous reader",
            "Someone is offering visas in the embassy's name on a messaging app. Is it you?",
            pending=True,
        ),
    ],
    "Answering questions live on a webcam": [
        Thread(
            "Farhan Ali",
            "I watched the whole hour. The question about exchange students was mine!",
            "And a good question it was. We will answer the ones we had no time for here.",
        ),
        Thread("Saima", "Please do another session, on student visas this time."),
        Thread(
            "Tom Adeyemi",
            "Will there be a recording for those of us who could not watch live?",
            pending=True,
        ),
    ],
    "What a refugee camp needs in winter": [
        Thread(
            "Chantal M.",
            "Thank you for writing about the volunteers. They are rarely thanked in public.",
            "They deserve it more than anyone. I will pass your message on to them.",
        ),
        Thread(
            "David Lukusa",
            "How can local associations offer blankets and stoves?",
            "The camp's coordinators take offers through the aid agencies; their contact is "
            "on the high commission's website.",
        ),
    ],
    "A summit seen from the press room": [
        Thread(
            "Jordan P.",
            "Forty delegations and one night: how much coffee did that take?",
            "More than we will admit in writing.",
        ),
        Thread(
            "Maria Gonzalez",
            "Will the closing statement be published in Spanish too?",
            "It is online in Spanish since this morning, on the embassy's website.",
        ),
        Thread("Sam R.", "Great to see the work behind the headlines. More of this, please."),
    ],
    "Election observers, explained": [
        Thread(
            "Dewi S.",
            "Clear and calm. Many people here think observers count the votes themselves.",
            "A common confusion: they watch how the count is done, they never do it.",
        ),
        Thread("Kevin Hartono", "Can citizens of the host country become observers?"),
    ],
}

# Conversations in the other languages, by the title of the entry they are under.
OTHER_LANGUAGE_THREADS: dict[str, list[Thread]] = {
    "لماذا نكتب بالعربية؟": [
        Thread(
            "سلمى",
            "شكراً لأنكم تكتبون بالعربية. هذا يجعل الحوار أقرب إلينا.",
            "شكراً لك يا سلمى. نقرأ كل التعليقات ونرد عليها بأنفسنا.",
        ),
        Thread(
            "خالد م.",
            "متى يفتح باب التقديم للمنح الدراسية هذا العام؟",
            "يفتح باب التقديم في أيلول، وسننشر الرابط هنا وعلى حساباتنا الرسمية.",
        ),
        Thread("ريم", "هل هناك فرص تطوع مع السفارة للطلاب؟", pending=True),
    ],
    "الماء في الأردن: قطرة بعد قطرة": [
        Thread(
            "نور",
            "مشروع رائع. هل يمكن تطبيقه في المدارس أيضاً؟",
            "فكرة جميلة. نتحدث الآن مع مدرستين في إربد لتجربة ذلك.",
        ),
        Thread("أبو يوسف", "القرية التي زرتموها قريبة من قريتنا. نتمنى أن تزورونا أيضاً."),
    ],
    "پاسخ به پرسش‌های شما درباره ویزا": [
        Thread(
            "مریم",
            "ممنون از توضیحات. بررسی ویزای تحصیلی معمولاً چند هفته طول می‌کشد؟",
            "معمولاً سه تا شش هفته. اگر مدارک کامل باشد، زودتر هم ممکن است.",
        ),
        Thread("رضا", "آیا مصاحبه ویزا را می‌توان آنلاین انجام داد؟", pending=True),
    ],
    "گفت‌وگو با جوانان درباره فناوری": [
        Thread(
            "آرش",
            "آیا برای دانشجویان رشته‌های فنی بورسیه ویژه‌ای وجود دارد؟",
            "بله، هر سال چند بورسیه برای رشته‌های مهندسی داریم. جزئیات را به‌زودی می‌نویسیم.",
        ),
        Thread("سارا ک.", "دیدار با دانشجویان ایده خوبی بود. لطفاً در شهرهای دیگر هم برگزار کنید."),
    ],
    "Le réseau des anciens boursiers": [
        Thread(
            "Élodie R.",
            "Ancienne boursière, je serais ravie de rejoindre cet espace. Comment s’inscrire ?",
            "Merci, Élodie ! Les inscriptions ouvrent le mois prochain ; nous l’annoncerons ici.",
        ),
        Thread(
            "Karim B.",
            "Une belle initiative. Prévoyez-vous aussi des rencontres à Lyon ou à Marseille ?",
            "Oui, une première rencontre à Lyon est prévue au printemps.",
        ),
        Thread("Sophie", "Le réseau pourrait aider les nouveaux boursiers à trouver un logement."),
    ],
    "Lenguas indígenas en la radio comunitaria": [
        Thread(
            "Lucía H.",
            "Escucho esa radio desde niña. ¡Qué gusto verla en este blog!",
            "¡Gracias, Lucía! Los voluntarios se alegraron mucho de la visita.",
        ),
        Thread(
            "Javier",
            "¿Hay becas para periodistas de medios comunitarios?",
            "Sí, abrimos una convocatoria cada año en marzo. Publicaremos los detalles aquí.",
        ),
        Thread("Ana María", "Sería bueno escuchar también programas en mixteco.", pending=True),
    ],
    "Наука без границ": [
        Thread(
            "Ирина",
            "Очень интересный проект. Можно ли подать заявку на стажировку в лаборатории?",
            "Да, лаборатория принимает стажёров дважды в год. Подробности опубликуем в блоге.",
        ),
        Thread(
            "Дмитрий С.",
            "Спасибо за рассказ. Хотелось бы больше таких историй о науке.",
            "Спасибо! Следующая история будет о совместной экспедиции.",
        ),
        Thread("Алексей", "Где найти условия стипендии для аспирантов?", pending=True),
    ],
}

# Hours from a comment to its official reply: within the morning, the next day, or after a
# weekend, so that the answering report shows varied medians. Drawn from a seeded generator,
# so that every build (and every test run) answers alike.
REPLY_DELAYS_HOURS = [3, 20, 7, 46, 1.5, 28, 11, 52, 5, 36, 2, 24]


def _clamped(moment: datetime, *, now: datetime) -> datetime:
    # Nothing in the demo happens in the future, whatever the entry's date.
    return min(moment, now - timedelta(minutes=30))


def _replier_user(*, blogger: Blogger) -> Any:
    """The blogger's account, created without a password if the demo has not made one: it
    answers and moderates, and nobody signs in with it."""
    if blogger.user is None:
        authoring_services.blogger_account_create(
            acting_user=None, blogger=blogger, username=f"demo-{blogger.slug}", password=None
        )
    return blogger.user


def _conversation_create(
    *, entry: EntryPage, blog: BlogPage, threads: list[Thread], now: datetime, rng: random.Random
) -> tuple[int, int]:
    """Readers comment on the entry; its first blogger approves and answers. Returns how many
    comments and official replies were written."""
    mode = conversation_queries.blog_settings(blog.pk).mode
    user = _replier_user(blogger=entry.authors[0])
    replies = 0
    written = entry.date + timedelta(hours=rng.uniform(2, 10))
    for thread in threads:
        if thread.pending:
            # Waiting for a moderator since this morning.
            written = now - timedelta(hours=rng.uniform(2, 9))
        written = _clamped(written, now=now)
        comment = conversation_services.comment_submit(
            entry=entry, blog=blog, name=thread.name, body=thread.body, mode=mode, now=written
        )
        delay = timedelta(hours=rng.choice(REPLY_DELAYS_HOURS))
        if comment.status == Comment.Status.PENDING and not thread.pending:
            comment = conversation_services.comment_approve(
                comment=comment, acting_user=user, now=_clamped(written + delay / 3, now=now)
            )
        if thread.reply and comment.status == Comment.Status.APPROVED:
            conversation_services.official_reply_create(
                comment=comment,
                acting_user=user,
                body=thread.reply,
                now=_clamped(written + delay, now=now),
            )
            replies += 1
        written += timedelta(hours=rng.uniform(1, 14))
    return len(threads), replies


def demo_conversations_build(*, now: datetime | None = None, report: Callable[[str], None]) -> None:
    """Comments, official replies, a few comments waiting in the queue, and one blog under
    post-moderation. Call after the entries and the demo's people exist."""
    now = now or timezone.now()
    rng = random.Random(14)
    post_moderated = BlogPage.objects.get(slug=POST_MODERATED_BLOG)
    conversation_services.blog_conversation_settings_set(
        blog=post_moderated, mode=BlogConversationSettings.Mode.POST_MODERATION
    )
    blogs = {blog.pk: blog for blog in BlogPage.objects.all()}
    threads_by_title = {**ENGLISH_THREADS, **OTHER_LANGUAGE_THREADS}
    # A title missing here (content.py changed) fails the build loudly, as it should.
    by_title = {
        entry.title: entry
        for entry in EntryPage.objects.live().filter(title__in=threads_by_title, date__lte=now)
    }
    plan = [(by_title[title], threads) for title, threads in threads_by_title.items()]
    comments = replies = 0
    for entry, threads in plan:
        blog = blogs[entry.blog_id] if entry.blog_id else entry.get_parent().specific
        written, answered = _conversation_create(
            entry=entry, blog=blog, threads=threads, now=now, rng=rng
        )
        comments += written
        replies += answered
    report(
        f"{comments} comments on {len(plan)} entries, {replies} official replies; "
        f"'{post_moderated.title}' is post-moderated"
    )
