"""Text for seeded entries and comments, made once per run as pools of finished pieces.

Writing a million entries leaves no time to compose, escape and strip text entry by entry, so
paragraphs, lists, headings, comments and replies are made once, in every form an entry needs
(the body's JSON, the words the search document holds, a comment's HTML and hash), and each
entry then picks and joins pieces. The pools are large and their names and places are drawn
from a long-tailed vocabulary, so that an entry's words are its own mix: a search for a rare
name finds a few entries, a common word many, as on a real network (ten stock sentences
repeated everywhere would make every word match every entry).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from django.utils.html import escape

from dragoman.conversations.defences import body_hash
from dragoman.conversations.rendering import comment_html
from dragoman.search.services import html_text, plain_text

PARAGRAPHS = 4096
LISTS = 512
TITLES = 2048
COMMENTS = 1024
PARAGRAPH_CHARS = 420  # a paragraph grows sentence by sentence until this long

SYLLABLES = [
    "ba", "ko", "ri", "sta", "men", "lo", "dra", "vi", "ne", "sul", "tor", "an", "gu",
    "pe", "chi", "ma", "tel", "ro", "di", "plo", "sa", "ke", "zu", "fo", "li", "ter",
]  # fmt: skip
FIRST_NAMES = [
    "Amina", "Tom", "Sofía", "Yusuf", "Marie", "Arash", "Olga", "Kofi", "Priya", "Li Wei",
    "Fatima", "João", "Ingrid", "Tariq", "Mei", "Nadia", "Pedro", "Aiko", "Samuel", "Leila",
    "Dmitri", "Grace", "Omar", "Elena", "Kwame", "Hana", "Lucas", "Zainab", "Mateo", "Anna",
]  # fmt: skip
GROUPS = [
    "students", "farmers", "teachers", "nurses", "engineers", "journalists", "mayors",
    "entrepreneurs", "volunteers", "researchers", "young diplomats", "fishers",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
MONTHS = ["January", "March", "May", "June", "September", "November"]
# Sentences with slots: {name} a person, {place} and {place2} places, {project} a
# programme's name, {topic} and {topic2} subjects, {group} people, {number} a count.
TEMPLATES = [
    "{name}, who leads the {project} project in {place}, showed us what has changed since {year}.",
    "In {place} we met {number} {group} working on {topic}.",
    "The {project} programme now reaches {number} families in {place} and {place2}.",
    "{name} put it simply: without {topic}, nothing else here works.",
    "A delegation from {place} arrived on {weekday} to discuss {topic} and {topic2}.",
    "Our partners at the {project} institute shared figures on {topic} that surprised us.",
    "By {month}, the {project} centre in {place} expects to train {number} more {group}.",
    "{name} walked us through the new plan for {topic}, street by street.",
    "The road from {place} to {place2} takes six hours, and every one of them was worth it.",
    "We asked {name} what {group} in {place} need most; the answer was {topic}.",
]


@dataclass
class Block:
    """One block of an entry's body: its value as JSON, and the words search indexes."""

    type: str
    value_json: str
    text: str
    # Its number among the blocks whose PostgreSQL vectors the seed knows (0: none).
    number: int = field(default=0, compare=False)


@dataclass(frozen=True)
class CommentText:
    body: str
    html: str
    hash: str


class Prose:
    """Pools of finished text, the same for the same random seed."""

    def __init__(self, rng: random.Random, *, scale: float = 1.0, topics: list[str], sentences: list[str],
                 linked: list[str], headings: list[str], comment_sentences: list[str],
                 replies: list[str]) -> None:  # fmt: skip
        self.rng = rng
        self.topics = topics
        self.stock = sentences
        words = _vocabulary(rng, 6000)
        # Long-tailed: the first names of the vocabulary come up far more often than the last.
        self.cum_weights = _cumulative([1 / rank for rank in range(1, len(words) + 1)])
        self.words = [word.capitalize() for word in words]
        self.paragraphs = [self._paragraph_block() for _ in range(int(PARAGRAPHS * scale))]
        # A paragraph that ends with a link, as real entries point to reports and videos.
        self.linked = [
            _paragraph(" ".join([self.sentence(), self.sentence(), rng.choice(linked)]))
            for _ in range(int(LISTS * scale))
        ]
        self.lists = [self._list_block() for _ in range(int(LISTS * scale))]
        self.headings = [
            Block("heading", json.dumps({"text": text, "level": "h2"}), html_text(text))
            for text in headings
        ]
        self.titles = [plain_text(self._title()) for _ in range(int(TITLES * scale))]
        self.summaries = [
            plain_text(f"{self.sentence()} {self.sentence()}") for _ in range(int(TITLES * scale))
        ]
        self.names = [
            f"{rng.choice(FIRST_NAMES)} {self.word()[0]}."
            if rng.random() < 0.6
            else rng.choice(FIRST_NAMES)
            for _ in range(COMMENTS)
        ]
        self.comments = [self._comment(comment_sentences) for _ in range(COMMENTS)]
        self.replies = [CommentText(text, comment_html(text), body_hash(text)) for text in replies]

    def blocks(self) -> list[Block]:
        """Every block an entry may take from the pools."""
        return [*self.paragraphs, *self.linked, *self.lists, *self.headings]

    def word(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cum_weights)[0]

    def sentence(self) -> str:
        rng = self.rng
        if rng.random() < 0.35:
            return rng.choice(self.stock)
        topic, topic2 = rng.sample(self.topics, 2)
        return rng.choice(TEMPLATES).format(
            name=f"{rng.choice(FIRST_NAMES)} {self.word()}",
            place=self.word(),
            place2=self.word(),
            project=self.word(),
            topic=topic,
            topic2=topic2,
            group=rng.choice(GROUPS),
            number=rng.randint(12, 4000),
            year=rng.randint(2005, 2024),
            weekday=rng.choice(WEEKDAYS),
            month=rng.choice(MONTHS),
        )

    def _paragraph_block(self) -> Block:
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < PARAGRAPH_CHARS:
            sentences.append(self.sentence())
        return _paragraph(" ".join(sentences))

    def _list_block(self) -> Block:
        items = [self.sentence() for _ in range(3)]
        html = "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
        return Block("paragraph", json.dumps(html), html_text(html))

    def _title(self) -> str:
        rng = self.rng
        return rng.choice(
            [
                f"What {self.word()} taught us about {rng.choice(self.topics)}",
                f"A week in {self.word()}",
                f"{rng.choice(GROUPS).capitalize()} of {self.word()}",
                f"The {self.word()} programme, a year on",
                f"Notes from {self.word()}",
            ]
        )

    def _comment(self, sentences: list[str]) -> CommentText:
        rng = self.rng
        parts = rng.sample(sentences, rng.randint(1, 2))
        if rng.random() < 0.5:
            parts.append(f"Greetings from {self.word()}!")
        if rng.random() < 0.2:
            parts.append(self.sentence())
        text = " ".join(parts)
        return CommentText(text, comment_html(text), body_hash(text))


def _paragraph(text: str) -> Block:
    html = f"<p>{text}</p>"
    return Block("paragraph", json.dumps(html), html_text(html))


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    found = sorted(words)
    rng.shuffle(found)
    return found


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
