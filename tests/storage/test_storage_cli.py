"""``checkout-app catalog …`` end to end through ``checkout_app.cli.main``."""

from __future__ import annotations

import socket
import time

import pytest
from postgres_server import available_server

from checkout_app.cli import main
from checkout_app.cli.errors import EXIT_BAD_INPUT
from checkout_app.core.catalog_csv import COLUMNS
from checkout_app.paths import DEMO_CATALOG_PATH
from checkout_app.storage.db import DATABASE_URL_ENV

DEMO_CSV = DEMO_CATALOG_PATH.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_database_from_environment(monkeypatch):
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


def run(home, *argv: str) -> int:
    return main(["--home", str(home), *argv])


def test_list_on_first_use_shows_the_demo_catalog(tmp_path, capsys):
    assert run(tmp_path, "catalog", "list") == 0
    out = capsys.readouterr().out
    assert "Hot Cup Ramen / 얼큰 컵라면" in out
    assert "12 products, 12 active" in out
    assert (tmp_path / "checkout.db").is_file()


def test_export_to_stdout_and_to_a_file(tmp_path, capsys):
    assert run(tmp_path, "catalog", "export") == 0
    assert capsys.readouterr().out == DEMO_CSV
    out_file = tmp_path / "out.csv"
    assert run(tmp_path, "catalog", "export", str(out_file)) == 0
    assert out_file.read_text(encoding="utf-8") == DEMO_CSV


def test_import_replaces_and_reports(tmp_path, capsys):
    run(tmp_path, "catalog", "list")
    kept = DEMO_CSV.splitlines()[:3]  # header + two products
    new_file = tmp_path / "store.csv"
    new_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert run(tmp_path, "catalog", "import", str(new_file)) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 updated, 2 unchanged, 10 deactivated, 0 removed" in out
    run(tmp_path, "catalog", "list")
    assert "12 products, 2 active" in capsys.readouterr().out


def test_bad_import_exits_2_with_line_numbers_and_changes_nothing(tmp_path, capsys):
    run(tmp_path, "catalog", "export")
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        ",".join(COLUMNS) + "\nA1,라면,Ramen,1300,ramen,1\nB2,,Cola,12.5,cola,1\n", encoding="utf-8"
    )
    assert run(tmp_path, "catalog", "import", str(bad)) == 2
    err = capsys.readouterr().err
    assert "line 3: missing name_ko" in err
    assert "line 3: price '12.5'" in err
    run(tmp_path, "catalog", "export")
    assert capsys.readouterr().out == DEMO_CSV


def test_import_of_a_missing_file_exits_2(tmp_path, capsys):
    assert run(tmp_path, "catalog", "import", str(tmp_path / "nope.csv")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_database_url_option_picks_the_database(tmp_path, capsys):
    other = tmp_path / "shared.db"
    assert run(tmp_path, "--database-url", f"sqlite:///{other}", "catalog", "list") == 0
    assert other.is_file()
    assert not (tmp_path / "checkout.db").exists()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # free once closed: nothing listens there


@pytest.mark.parametrize("problem", ["nothing listening", "unknown account", "no such database"])
def test_a_server_database_that_cannot_be_used_is_one_line_without_the_password(
    tmp_path, capsys, postgres_server, problem
):
    url = {
        "nothing listening": f"postgresql://kiosk:s3cret@127.0.0.1:{_closed_port()}/store",
        "unknown account": f"postgresql://nobody:s3cret@127.0.0.1:{postgres_server.port}/postgres",
        "no such database": f"postgresql://checkout:s3cret@127.0.0.1:{postgres_server.port}/nope",
    }[problem]
    started = time.monotonic()
    assert run(tmp_path, "--database-url", url, "catalog", "list") == EXIT_BAD_INPUT
    error = capsys.readouterr().err.strip()
    assert time.monotonic() - started < 15
    assert error.startswith("error: cannot use the database postgresql://")
    assert "\n" not in error and "s3cret" not in error and "Traceback" not in error
    assert "check the URL, the server and the account's rights" in error


def test_a_wrong_password_is_one_line_without_either_password(tmp_path, capsys):
    server, why_not = available_server(password="right-horse")
    if server is None:
        pytest.skip(why_not)
    try:
        wrong = f"postgresql://checkout:wr0ng-pass@127.0.0.1:{server.port}/postgres"
        assert run(tmp_path, "--database-url", wrong, "catalog", "list") == EXIT_BAD_INPUT
        error = capsys.readouterr().err.strip()
        assert error.startswith("error: cannot use the database postgresql://")
        assert "password authentication failed" in error
        assert "\n" not in error and "Traceback" not in error
        assert "wr0ng-pass" not in error and "right-horse" not in error
        # The same server with the right password: the catalog is there.
        assert run(tmp_path, "--database-url", server.url("postgres"), "catalog", "list") == 0
        assert "Hot Cup Ramen" in capsys.readouterr().out
    finally:
        server.stop()
        server.remove()
