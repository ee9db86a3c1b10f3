import pytest
from django.core.management import CommandError, call_command

from dragoman.channels.models import Channel
from tests.factories import MissionFactory

pytestmark = pytest.mark.django_db

CSV = "platform,handle,owner_type,owner\nx,@DGM_Amman,mission,amman\n"


def test_import_command_dry_run_reports_and_saves_nothing(tmp_path, capsys):
    MissionFactory(slug="amman")
    path = tmp_path / "channels.csv"
    path.write_text(CSV)

    call_command("channels_import", str(path), "--dry-run")

    assert "1 channels would be created" in capsys.readouterr().out
    assert not Channel.objects.exists()


def test_import_command_applies_the_file(tmp_path, capsys):
    MissionFactory(slug="amman")
    path = tmp_path / "channels.csv"
    path.write_text(CSV)

    call_command("channels_import", str(path))

    assert Channel.objects.get().handle == "dgm_amman"


def test_import_command_refuses_a_bad_file_with_the_line(tmp_path, capsys):
    path = tmp_path / "channels.csv"
    path.write_text(CSV)

    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("channels_import", str(path))

    assert "line 2: owner: No mission has the slug “amman”." in capsys.readouterr().err
