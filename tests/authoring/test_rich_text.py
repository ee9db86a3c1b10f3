"""Pasted rich text keeps headings, lists, links and quotes, and drops everything else."""

import re

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from dragoman.blogs.blocks import RICH_TEXT_FEATURES

PASTED_FROM_A_WORD_PROCESSOR = """
<h2>Our week</h2><h3 style="color:red">Monday</h3>
<p style="font-family:Comic Sans"><span class="MsoNormal">We met the <a href="https://example.org/">mayor</a>.</span></p>
<ul><li>Trade</li><li>Culture</li></ul><ol><li>First</li></ol>
<blockquote>Diplomacy is conversation.</blockquote>
<table><tr><td>A table cell</td></tr></table>
<img src="https://tracker.example/pixel.gif" alt="">
<script>alert('x')</script><h4>Small heading</h4>
"""


def test_pasted_text_keeps_structure_and_links_and_drops_the_rest():
    converter = ContentstateConverter(features=RICH_TEXT_FEATURES)

    stored = converter.to_database_format(
        converter.from_database_format(PASTED_FROM_A_WORD_PROCESSOR)
    )

    html = re.sub(r' data-block-key="[^"]*"', "", stored)

    assert "<h2>Our week</h2>" in html
    assert "<h3>Monday</h3>" in html
    assert '<a href="https://example.org/">mayor</a>' in html
    assert "<ul><li>Trade</li><li>Culture</li></ul>" in html
    assert "<ol><li>First</li></ol>" in html
    assert "<blockquote>Diplomacy is conversation.</blockquote>" in html
    for dropped in ("style=", "MsoNormal", "<table", "<img", "tracker", "<script", "<h4"):
        assert dropped not in html
    assert "A table cell" in html  # the words stay, the table goes
