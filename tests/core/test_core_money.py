import pytest

from checkout_app.core.money import format_won, parse_won, validate_amount


@pytest.mark.parametrize(
    ("text", "expected"), [("1500", 1500), ("1,500", 1500), (" 0 ", 0), ("12,000", 12000)]
)
def test_parse_won_accepts_whole_won(text, expected):
    assert parse_won(text) == expected


@pytest.mark.parametrize("text", ["", "-5", "12.5", "1e3", "₩100", "abc", "1 500"])
def test_parse_won_rejects_everything_else(text):
    with pytest.raises(ValueError):
        parse_won(text)


@pytest.mark.parametrize("value", [-1, 1.5, True, "100", None])
def test_validate_amount_rejects_non_won(value):
    with pytest.raises(ValueError):
        validate_amount(value)


def test_format_won_per_language():
    assert format_won(1500) == "₩1,500"
    assert format_won(1500, "ko") == "1,500원"
    assert format_won(0) == "₩0"
