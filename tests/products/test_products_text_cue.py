"""Printed words as a product cue: normalisation, profiles weighted by rarity, fuzzy matching."""

import pytest

from checkout_app.products.text_cue import (
    build_profiles,
    contradicting_words,
    knows,
    middle_words,
    normalize_words,
    text_score,
    words_match,
)


def test_words_are_upper_case_letters_without_numbers_short_words_or_unsure_reads():
    read = [("Tropicana", 0.99), ("PRESSED apple", 0.97), ("29,95", 1.0), ("1L", 0.9), ("xq", 0.4)]
    read += [("FERE FXERTEM", 0.55), ("äpple-juice", 0.9), ("apple", 0.95)]
    assert normalize_words(read) == ["TROPICANA", "PRESSED", "APPLE", "ÄPPLE", "JUICE"]


def test_a_word_read_in_part_still_matches_but_short_words_must_be_whole():
    assert words_match("BRAVO", "RAVO")  # the B lost on the carton's curve
    assert words_match("TROPICANA", "TROPICAN")
    assert words_match("MANDARIN", "ANDARIN")
    assert not words_match("RED", "REDS")
    assert not words_match("APPLE", "ORANGE")


def test_a_brand_on_every_product_weighs_less_than_the_flavour_on_one():
    profiles = build_profiles(
        {
            "apple": [["BRAVO", "APPLE"], ["BRAVO", "APPLE", "JUICE"], ["BRAVO"]],
            "orange": [["BRAVO", "APELSIN"], ["BRAVO", "APELSIN"], ["BRAVO", "JUICE"]],
        }
    )
    apple = profiles["apple"].weights
    assert apple["APPLE"] > apple["BRAVO"]
    assert text_score(profiles["apple"], ["BRAVO", "APPLE"]) == pytest.approx(
        (apple["BRAVO"] + apple["APPLE"]) / profiles["apple"].total
    )
    # The brand alone says little about which of the two it is.
    assert text_score(profiles["apple"], ["BRAVO"]) < 0.5
    assert text_score(profiles["orange"], ["BRAVO", "APPLE"]) < text_score(
        profiles["apple"], ["BRAVO", "APPLE"]
    )


def test_background_words_do_not_lower_a_products_score():
    profiles = build_profiles({"smooth": [["TROPICANA", "SMOOTH"]] * 3, "other": [["GOD"]] * 3})
    alone = text_score(profiles["smooth"], ["TROPICANA", "SMOOTH"])
    with_shelf = text_score(profiles["smooth"], ["TROPICANA", "SMOOTH", "HALLON", "INNOCENT"])
    assert alone == with_shelf == pytest.approx(1.0)


def test_a_word_on_few_teaching_photos_is_left_out_and_no_words_score_zero():
    profiles = build_profiles({"a": [["GOD", "MOR"], ["GOD"], ["GOD"], ["GOD"], ["GOD", "SHELF"]]})
    assert set(profiles["a"].weights) == {"GOD"}
    assert text_score(profiles["a"], []) == 0.0
    assert text_score(build_profiles({"b": [[], []]})["b"], ["GOD"]) == 0.0


def test_words_that_can_tell_an_untaught_product_are_sure_long_and_in_the_middle():
    read = [
        ("apple", 0.97, (0.5, 0.55)),  # on the product in front
        ("JUICE 1L", 0.99, (0.62, 0.4)),
        ("Ciginelet", 0.68, (0.5, 0.5)),  # small print, garbled
        ("ORANGE", 0.99, (0.9, 0.5)),  # the neighbour on the shelf
        ("GOD MOR", 0.99, (0.5, 0.5)),  # too short to tell anything
        ("100ES", 0.95, (0.5, 0.5)),
    ]
    assert middle_words(read) == ["APPLE", "JUICE"]


def test_a_word_is_known_whole_misread_or_in_part():
    vocabulary = {"BRAVO", "GRAPEFRUIT", "RED", "JUICE"}
    # A misread BRAVO, part of GRAPEFRUIT, a word holding JUICE.
    assert all(knows(vocabulary, w) for w in ("BRAV0", "EFRUIT", "JUICES"))
    # A three-letter word ("RED") is not looked for inside longer ones.
    assert not any(knows(vocabulary, w) for w in ("APPLE", "REDUCED", "MANDARIN"))


def test_words_that_say_a_photo_is_not_the_candidate():
    candidate = {"GOD", "MORGON", "GRAPEFRUIT", "RED"}
    vocabulary = candidate | {"APELSIN", "ORANGE", "SHELF"}
    printed_on_others = {"ORANGE", "APELSIN"}  # SHELF: seen once behind another product
    middle = ["GRAPEFRUIT", "ORANGE", "APPLE", "SHELF", "MORGON"]
    # ORANGE is another product's flavour, APPLE nobody's; SHELF says nothing either way.
    assert contradicting_words(middle, candidate, vocabulary, printed_on_others) == [
        "ORANGE",
        "APPLE",
    ]
    assert contradicting_words(["GRAPEFRUIT"], candidate, vocabulary, printed_on_others) == []
