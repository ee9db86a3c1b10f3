"""Our own small query language, so that no engine ever sees a reader's raw syntax.

    "digital diplomacy"   a phrase
    -twitter              an exclusion (also -"a phrase")
    diplom*               a prefix
    anything else         words, all of which must be found

Operators of the engines (AND, OR, NOT, NEAR, ^, parentheses, column filters) mean nothing
here: they become words or disappear with the punctuation. Every engine builds its own
query from the parsed terms, quoting each word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Queries longer than this are cut: no reader types more, and it bounds the engines' work.
MAX_QUERY_LENGTH = 256
# More terms than this are ignored for the same reason.
MAX_TERMS = 16

# Zero-width non-joiner and joiner belong inside Persian, Urdu and Indic words.
JOINERS = {"\u200c", "\u200d"}
PHRASE_OR_CHUNK = re.compile(r'(-?)"([^"]*)"|(\S+)')


def clean_text(value: str) -> str:
    """The text without control characters (Unicode category Cc), at most MAX_QUERY_LENGTH."""
    value = "".join(
        " " if unicodedata.category(char) == "Cc" else char
        for char in value[: MAX_QUERY_LENGTH * 4]
    )
    return " ".join(value.split())[:MAX_QUERY_LENGTH]


def split_words(text: str) -> list[str]:
    """Runs of letters, marks and digits: what every engine's tokenizer agrees is a word."""
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] in "LMN" or (char in JOINERS and current):
            current.append(char)
        elif current:
            words.append("".join(current).strip("".join(JOINERS)))
            current = []
    if current:
        words.append("".join(current).strip("".join(JOINERS)))
    return [word for word in words if word]


@dataclass(frozen=True)
class Term:
    """One or more words that must appear together, in this order."""

    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def __str__(self) -> str:
        text = f'"{self.text}"' if self.is_phrase else self.text
        return ("-" if self.negated else "") + text + ("*" if self.prefix else "")


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...] = ()

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.negated)

    @property
    def searchable(self) -> bool:
        """True when there is something to look for (exclusions alone find nothing)."""
        return bool(self.positive)

    @property
    def words(self) -> list[str]:
        """The positive words, for matching bloggers and channels by name."""
        return [word for term in self.positive for word in term.words]

    def __str__(self) -> str:
        return " ".join(str(term) for term in self.terms)


def parse_query(raw: str) -> ParsedQuery:
    text = clean_text(raw)
    terms: list[Term] = []
    for match in PHRASE_OR_CHUNK.finditer(text):
        minus, phrase, chunk = match.groups()
        if phrase is not None:
            words = split_words(phrase)
            negated, prefix = bool(minus), False
        else:
            negated = chunk.startswith("-") and len(chunk) > 1
            prefix = chunk.rstrip('"').endswith("*")
            words = split_words(chunk)
            # A prefix of several words ("e-mail*") is just those words.
            prefix = prefix and len(words) == 1
        if words:
            term = Term(
                words=tuple(word.casefold() for word in words), negated=negated, prefix=prefix
            )
            if term not in terms:
                terms.append(term)
    return ParsedQuery(terms=tuple(terms[:MAX_TERMS]))
