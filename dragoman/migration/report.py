"""What an import did, told at the end: imported, changed, unchanged, skipped and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    dry_run: bool = False
    imported: int = 0
    changed: int = 0
    unchanged: int = 0
    comments: int = 0
    bloggers: int = 0
    images: int = 0
    redirects: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing_media: dict[str, str] = field(default_factory=dict)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count

    def lines(self) -> list[str]:
        head = "Dry run: nothing was written. " if self.dry_run else ""
        lines = [
            f"{head}Entries: {self.imported} imported, {self.changed} changed, "
            f"{self.unchanged} unchanged since the last run, {len(self.failed)} failed.",
            f"Comments: {self.comments} imported. Bloggers: {self.bloggers} new. "
            f"Images and documents: {self.images} new. Old addresses redirected: "
            f"{self.redirects}.",
        ]
        if self.skipped:
            lines.append("Skipped:")
            lines += [f"  {count} × {reason}" for reason, count in sorted(self.skipped.items())]
        if self.failed:
            lines.append("Failed (nothing of these entries was imported):")
            lines += [f"  {line}" for line in self.failed]
        if self.missing_media:
            lines.append(f"Media not found ({len(self.missing_media)}):")
            lines += [f"  {url}: {why}" for url, why in sorted(self.missing_media.items())]
        if self.notes:
            lines.append("To review:")
            lines += [f"  {note}" for note in self.notes]
        return lines
