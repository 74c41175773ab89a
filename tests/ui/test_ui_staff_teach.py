"""The "Teach a product" wizard driven like staff drive it: photos checked as they come (files
and counter-camera shots, cut out of an empty counter), Teach only when the form and 3 photos
are there, a scanned unknown barcode starting it, and a real teaching run with the real models
on shared photos."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from layout_check import layout_problems

from checkout_app.services.counter_items_benchmark import empty_counter
from checkout_app.services.product_teaching import ProductTeacher, load_gallery
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.product_photo_repository import ProductPhotoRepository
from checkout_app.ui import file_picker, i18n
from checkout_app.ui.staff.catalog_page import CatalogPage
from checkout_app.ui.staff.teach_dialog import TeachDialog


def busy_photo(seed: int, size=(240, 200)) -> np.ndarray:
    """A sharp photo with something on it: passes every teaching-photo gate."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 255, (12, 10, 3), dtype=np.uint8)
    return cv2.resize(small, size, interpolation=cv2.INTER_NEAREST)


def on_counter(empty: np.ndarray, *places) -> np.ndarray:
    shot = empty.copy()
    for seed, (x, y) in enumerate(places):
        shot[y : y + 200, x : x + 140] = busy_photo(seed, (140, 200))
    return shot


@pytest.fixture
def repos(tmp_path):
    sessions = open_database(f"sqlite:///{tmp_path / 'store.db'}")
    yield CatalogRepository(sessions), ProductPhotoRepository(sessions)
    close_database(sessions)


def no_models():
    raise AssertionError("checking photos must not load the recognition models")


@pytest.fixture
def frames() -> list:
    """What the counter camera shows, newest last (the dialog takes the last one)."""
    return []


@pytest.fixture
def dialog(qtbot, repos, frames) -> TeachDialog:
    teacher = ProductTeacher(*repos, no_models)
    widget = TeachDialog(teacher, lambda: frames[-1] if frames else None)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def message(dialog: TeachDialog) -> str:
    return dialog.message_label.text()


def fill_form(dialog: TeachDialog, sku="JUICE-1", name="Bravo Apple", price="2,500") -> None:
    dialog.sku_edit.setText(sku)
    dialog.name_edit.setText(name)
    dialog.price_edit.setText(price)


def test_each_photo_is_checked_as_it_comes(dialog):
    assert dialog.guide_label.text() == "Photo 1 of up to 10 (at least 3): show the front."
    assert not dialog.add_photo("tiny.jpg", busy_photo(1, (60, 60)))
    assert message(dialog) == "tiny.jpg was not added: too small: move the camera closer"
    blurred = cv2.GaussianBlur(busy_photo(2), (31, 31), 0)
    assert not dialog.add_photo("blur.jpg", blurred)
    assert message(dialog).endswith("blurred: hold the product and the camera still")
    assert not dialog.add_photo("wall.jpg", np.full((300, 300, 3), 128, np.uint8))
    assert "nothing there" in message(dialog)
    assert dialog.photo_count == 0
    assert dialog.add_photo("front.jpg", busy_photo(3))
    assert dialog.photo_count == 1 and dialog.photo_list.count() == 1
    assert message(dialog) == "front.jpg added."
    assert dialog.guide_label.text() == "Photo 2 of up to 10 (at least 3): show the back."


def test_teach_waits_for_three_photos_and_the_form(dialog):
    assert not dialog.teach_button.isEnabled()
    for seed in range(2):
        dialog.add_photo(f"{seed}.jpg", busy_photo(seed))
    fill_form(dialog)
    assert not dialog.teach_button.isEnabled()  # two photos
    dialog.add_photo("2.jpg", busy_photo(2))
    assert dialog.teach_button.isEnabled()
    dialog.price_edit.setText("")
    assert not dialog.teach_button.isEnabled()
    dialog.photo_list.item(0).setSelected(True)
    dialog.remove_button.click()
    assert dialog.photo_count == 2 and [dialog.photo_list.item(i).text() for i in (0, 1)] == [
        "1",
        "2",
    ]


def test_a_bad_price_or_barcode_is_said_before_anything_runs(dialog):
    fill_form(dialog, price="2.500")
    for seed in range(3):
        dialog.add_photo(f"{seed}.jpg", busy_photo(seed))
    dialog.teach_button.click()
    assert message(dialog) == "A price is a whole, non-negative number of won, e.g. 1500."
    dialog.price_edit.setText("2500")
    dialog.barcode_edit.setText("8801234567891")  # wrong check digit
    dialog.teach_button.click()
    assert "check digit" in message(dialog) or "ends in" in message(dialog)
    assert dialog.teach_button.isEnabled()  # nothing started


def test_camera_shots_are_cut_out_of_the_empty_counter(dialog, frames):
    assert dialog.shot_button.isEnabled()
    dialog.shot_button.click()
    assert message(dialog) == "No picture from the counter camera yet."
    assert dialog.empty_button.text() == "Take empty counter"
    assert not dialog.cutout_check.isEnabled()  # nothing to cut out of yet
    empty = empty_counter()
    frames.append(empty)
    dialog.empty_button.click()
    assert dialog.empty_button.text() == "Retake empty counter"
    assert dialog.cutout_check.isChecked() and dialog.cutout_check.isEnabled()
    dialog.shot_button.click()  # still the empty counter
    assert message(dialog) == "Photo 1 was not added: nothing there: put the product on the counter"
    frames.append(on_counter(empty, (60, 100), (400, 150)))
    dialog.shot_button.click()
    assert message(dialog).endswith("several objects: leave only this product on the counter")
    frames.append(on_counter(empty, (250, 140)))
    dialog.shot_button.click()
    assert dialog.photo_count == 1
    ((_source, kept),) = dialog.photos
    assert 200 <= kept.shape[0] <= 240 and 140 <= kept.shape[1] <= 180  # the product, not 640x480
    dialog.cutout_check.setChecked(False)  # whole frames again
    dialog.shot_button.click()
    assert dialog.photos[-1][1].shape == (480, 640, 3)


def test_the_empty_counter_shot_is_kept_for_checkout(tmp_path, repos):
    path = tmp_path / "counter_empty.png"
    teacher = ProductTeacher(*repos, no_models, empty_counter_path=path)
    teacher.set_empty_counter(empty_counter())
    again = ProductTeacher(*repos, no_models, empty_counter_path=path)  # after a restart
    assert np.array_equal(again.empty_counter, empty_counter())
    assert again.counter_items() is None  # nothing taught yet: nothing to find at checkout
    again.set_empty_counter(None)
    assert not path.exists()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_wizard_fits_a_small_screen(qtbot, qapp, repos, frames, themed, screenshot, lang):
    languages = i18n.LanguageSwitcher(qapp)
    languages.set_language(lang)
    try:
        dialog = TeachDialog(ProductTeacher(*repos, no_models), lambda: empty_counter())
        qtbot.addWidget(dialog)
        dialog.show()
        fill_form(dialog)
        for seed in range(4):
            dialog.add_photo(f"photo-{seed}.jpg", busy_photo(seed))
        dialog.adjustSize()
        qtbot.wait(20)
        screenshot(dialog, f"staff_teach_product_{lang}.png")
        assert dialog.height() <= 600 - 20 and dialog.width() <= 1024
        assert layout_problems(dialog) == []
    finally:
        languages.set_language("en")


def test_a_scanned_unknown_barcode_starts_teaching_with_it(qtbot, repos):
    page = CatalogPage(
        repos[0], ["cola_can"], teacher=ProductTeacher(*repos, no_models), counter_frame=None
    )
    qtbot.addWidget(page)
    page.show()
    assert page.teach_button.isVisible()
    assert not page.find_barcode("4006381333931")
    assert page.teach_barcode_button.isVisible()
    page.teach_barcode_button.click()
    assert page.teach_dialog.barcode_edit.text() == "4006381333931"
    assert not page.teach_dialog.shot_button.isEnabled()  # no counter camera here: files only
    page.teach_dialog.reject()


def test_staff_are_told_when_checkout_cannot_find_what_they_taught(
    qtbot, repos, themed, screenshot
):
    """Taught from image files with no empty-counter shot yet, the product is in the catalog but
    nothing at the counter would find it: the page says what to do."""
    from checkout_app.core.catalog import Product, taught_class_name

    teacher = ProductTeacher(*repos, no_models)
    page = CatalogPage(repos[0], ["cola_can"], teacher=teacher, counter_frame=None)
    qtbot.addWidget(page)
    juice = Product("JUICE-1", "주스", "Juice", 2500, taught_class_name("JUICE-1"))
    repos[0].upsert(juice)
    page.product_taught(juice)
    assert page.status_label.text() == (
        "Taught Juice (JUICE-1). Checkout finds it once the empty counter is taken: "
        "Teach a product… → Take empty counter."
    )
    page.resize(1024, 480)  # the staff page's room on a 1024×600 screen
    page.show()
    qtbot.wait(20)
    screenshot(page, "staff_products_taught_without_empty_counter")
    assert layout_problems(page) == []
    teacher.set_empty_counter(empty_counter())
    page.product_taught(juice)
    assert page.status_label.text() == "Taught Juice (JUICE-1)."


def test_no_teacher_no_teach_button(qtbot, repos):
    page = CatalogPage(repos[0], ["cola_can"])
    qtbot.addWidget(page)
    page.show()
    assert not page.teach_button.isVisible()
    page.find_barcode("4006381333931")
    assert not page.teach_barcode_button.isVisible()


@pytest.mark.integration
def test_real_models_teach_a_juice_from_three_photos(
    qtbot, repos, monkeypatch, grocery_dir, weights_home
):
    """Real FaceNet trunk + OCR (converted offline) through the wizard, then the gallery."""
    from checkout_app.app import load_appearance_encoder

    folder = grocery_dir / "train" / "Packages" / "Juice" / "Bravo-Apple-Juice"
    encoders = []

    def load():
        encoders.append(load_appearance_encoder(weights_home))
        return encoders[-1]

    page = CatalogPage(repos[0], ["cola_can"], teacher=ProductTeacher(*repos, load))
    qtbot.addWidget(page)
    page.show()
    photos = sorted(str(p) for p in folder.iterdir())[:3]
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: photos)
    dialog = page.open_teach_dialog()
    dialog.files_button.click()
    assert dialog.photo_count == 3
    fill_form(dialog, sku="BRAVO-APPLE", name="Bravo Apple", price="2500")
    with qtbot.waitSignal(dialog.taught, timeout=120_000):
        dialog.teach_button.click()
        assert not dialog.teach_button.isEnabled() and dialog.progress_bar.isVisible()
    assert page.status_label.text().startswith("Taught Bravo Apple (BRAVO-APPLE).")
    catalog, taught = repos
    assert catalog.load().get("BRAVO-APPLE").price == 2500
    assert taught.photo_counts() == {"BRAVO-APPLE": 3}
    gallery = load_gallery(taught, encoders[0])
    test_photo = cv2.imread(str(sorted(folder.iterdir())[5]))
    assert gallery.match(encoders[0].encode([test_photo])[0]).sku == "BRAVO-APPLE"


def test_after_teaching_the_detector_s_products_come_off_sale_in_one_tap(
    qtbot, repos, themed, screenshot
):
    """With real products taught, the demo detector's mistakes on them are charged while its
    products are on sale: the page offers to take them off sale (unsaved: Discard undoes it)."""
    from checkout_app.core.catalog import Product, taught_class_name

    catalog = repos[0]
    catalog.upsert(Product("A1", "콜라", "Cola", 1500, "cola_can"))
    catalog.upsert(Product("A2", "칩", "Chips", 1800, "chips"))
    teacher = ProductTeacher(*repos, no_models)
    teacher.set_empty_counter(empty_counter())
    page = CatalogPage(catalog, ["cola_can", "chips"], teacher=teacher, counter_frame=None)
    qtbot.addWidget(page)
    page.resize(1024, 480)
    page.show()
    juice = Product("JUICE-1", "주스", "Juice", 2500, taught_class_name("JUICE-1"))
    catalog.upsert(juice)
    page.product_taught(juice)
    assert page.status_label.text() == (
        "Taught Juice (JUICE-1). The detector's own products are on sale too: it may take real "
        "products for them."
    )
    off = page.detector_products_off_button
    assert off.isVisible() and off.text() == "Take them off sale"
    qtbot.wait(20)
    screenshot(page, "staff_products_detector_products_on_sale")
    assert layout_problems(page) == []
    off.click()
    assert sorted(after.sku for _before, after in page.model.pending()) == ["A1", "A2"]
    assert "Discard changes undoes it" in page.status_label.text()
    page.revert_button.click()
    assert not page.model.pending()
    page.product_taught(juice)
    page.detector_products_off_button.click()
    page.save_button.click()
    stored = {p.sku: p.active for p in catalog.load()}
    assert stored == {"A1": False, "A2": False, "JUICE-1": True}
    page.product_taught(juice)  # nothing of the detector's left on sale: nothing offered
    assert not page.detector_products_off_button.isVisible()
    assert page.status_label.text() == "Taught Juice (JUICE-1)."
