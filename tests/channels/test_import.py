"""The CSV exchange: export, then import; per-row errors; nothing partial saved."""

import csv
import datetime
import io

import pytest

from dragoman.channels import exchange, queries, services
from dragoman.channels.models import Channel
from tests.factories import BloggerFactory, ChannelFactory, MissionFactory

pytestmark = pytest.mark.django_db

HEADER = "platform,handle,platform_id,owner_type,owner,languages,audience,status,verified_on,note\n"


def register_snapshot():
    return [
        {field.attname: getattr(channel, field.attname) for field in Channel._meta.concrete_fields}
        for channel in Channel.objects.order_by("pk")
    ]


def build_register():
    mission = MissionFactory(slug="amman", country_code="JO")
    official = BloggerFactory(slug="ambassador", mission=mission)
    ChannelFactory(platform="x", handle="dgm_amman", mission=mission, languages="en ar")
    ChannelFactory(
        platform="facebook",
        handle="dgm.embassy.amman",
        platform_id="100064590123456",
        mission=mission,
        audience="nationals-abroad",
        note='=HYPERLINK("https://evil.example") is not a formula here',
        verified_on=datetime.date(2026, 3, 1),
    )
    ChannelFactory(platform="mastodon", handle="@amb@social.example", blogger=official)
    ChannelFactory(platform="wechat", handle="gh_dgmamman", mission=mission)
    ChannelFactory(platform="x", handle="dgm_amman_", mission=mission, status="impersonation")


def test_csv_export_then_import_of_the_same_file_changes_nothing():
    build_register()
    before = register_snapshot()
    data = exchange.register_csv(queries.register_channels(queries.RegisterFilters()))

    plan = services.register_import_apply(data=data.encode("utf-8"))

    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 5)
    assert register_snapshot() == before


def test_export_puts_a_quote_before_cells_a_spreadsheet_would_run_as_formulas():
    build_register()

    data = exchange.register_csv(Channel.objects.filter(platform="facebook"))

    row = next(csv.DictReader(io.StringIO(data)))
    assert row["note"].startswith("'=HYPERLINK")


def test_import_preview_lists_creations_and_changes_without_saving():
    build_register()
    before = register_snapshot()
    data = HEADER + (
        "x,https://twitter.com/DGM_Amman,,mission,amman,en ar,press,active,2026-04-01,\n"
        "telegram,@dgm_amman_news,,mission,amman,ar,general,active,,\n"
    )

    plan = services.register_import_plan(data=data)

    assert plan.ok
    assert [(row.line, row.action) for row in plan.rows] == [(2, "update"), (3, "create")]
    assert ("audience", "general", "press") in plan.rows[0].changes
    assert ("verified_on", "", "2026-04-01") in plan.rows[0].changes
    assert register_snapshot() == before


def test_import_applies_creations_and_changes():
    build_register()
    data = HEADER + (
        "x,https://twitter.com/DGM_Amman,,mission,amman,en ar,press,active,2026-04-01,\n"
        "telegram,@dgm_amman_news,,mission,amman,ar,general,active,,\n"
    )

    services.register_import_apply(data=data)

    assert Channel.objects.get(platform="x", handle="dgm_amman").audience == "press"
    assert Channel.objects.get(platform="telegram").url == "https://t.me/dgm_amman_news"


def test_a_file_with_one_bad_row_saves_nothing_and_says_what_is_wrong_on_which_line():
    build_register()
    before = register_snapshot()
    data = HEADER + (
        "telegram,dgm_amman_news,,mission,amman,ar,general,active,,\n"
        "x,javascript:alert(1),,mission,amman,en,general,active,,\n"
        "x,https://www.facebook.com/dgm,,mission,amman,en,general,active,,\n"
        "x,dgm_new,,mission,nowhere,en,general,active,,\n"
        "x,dgm_new2,,mission,amman,en xx,general,active,31/03/2026,\n"
        "x,dgm_new3,,mission,amman,en,everyone,secret,,\n"
        "telegram,https://t.me/DGM_Amman_News,,mission,amman,ar,general,active,,\n"
        "x,dgm_new4,,council,amman,en,general,active,,\n"
    )

    with pytest.raises(services.ImportRefused) as refused:
        services.register_import_apply(data=data)

    report = {error.line: " ".join(error.messages) for error in refused.value.plan.errors}
    assert "Only web addresses" in report[3]
    assert "not on X" in report[4]
    assert "No mission has the slug “nowhere”" in report[5]
    assert "Unknown language code: xx" in report[6]
    assert "YYYY-MM-DD" in report[6]
    assert "audience" in report[7] and "status" in report[7]
    assert "same account as line 2" in report[8]
    assert "mission" in report[9] and "blogger" in report[9]
    assert 2 not in report
    assert register_snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"name,address\nfoo,bar\n", "missing: platform, handle, owner_type, owner"),
        (HEADER.encode(), "no rows"),
        (b'platform,handle,owner_type,owner\nx,"dgm,unterminated', "not valid CSV"),
    ],
)
def test_a_malformed_file_is_refused_as_a_whole(data, message):
    plan = services.register_import_plan(data=data)

    assert not plan.ok
    assert message in " ".join(plan.file_errors) + " ".join(
        " ".join(error.messages) for error in plan.errors
    )


def test_a_row_with_more_cells_than_the_header_is_an_error():
    MissionFactory(slug="amman")
    data = "platform,handle,owner_type,owner\nx,dgm_amman,mission,amman,extra\n"

    plan = services.register_import_plan(data=data)

    assert plan.errors[0].line == 2
    assert "more cells" in plan.errors[0].messages[0]


def test_import_runs_a_fixed_number_of_queries_to_preview(django_assert_max_num_queries):
    build_register()
    data = HEADER + "".join(
        f"x,dgm_bulk_{n},,mission,amman,en,general,active,,\n" for n in range(100)
    )

    with django_assert_max_num_queries(4):
        plan = services.register_import_plan(data=data)

    assert plan.created == 100


def test_previewing_an_export_of_many_channels_runs_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    mission = MissionFactory(slug="amman")
    services.channels_bulk_create(
        rows=[dict(platform="x", handle=f"dgm_many_{n}", mission=mission) for n in range(100)]
    )
    data = exchange.register_csv(queries.register_channels(queries.RegisterFilters()))

    with django_assert_max_num_queries(4):
        plan = services.register_import_plan(data=data)

    assert plan.unchanged == 100
