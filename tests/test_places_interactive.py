"""`ocop new --ask`: each place is checked as it is typed, and a wrong answer is asked again alone, the others kept.

Real place data; the answers are typed through `input()` as a person would.
"""

from __future__ import annotations

import pytest

from ocop.cli import main
from ocop.records import read_record

from decision_tables import staff_site, typing


@pytest.fixture
def products(tmp_path, monkeypatch):
    return staff_site(tmp_path, monkeypatch)


# name, producer, English name, stars, score, decision, date (the group and kind are guessed from the names)
FIRST = ["Mật ong rừng Hàm Thắng", "HTX Ong Hàm Thắng", "", "3", "", "12/QĐ-UBND", "10/11/2026"]


def test_a_commune_of_two_former_districts_asks_which_and_keeps_the_commune(products, capsys, monkeypatch):
    prompts = typing(monkeypatch, [*FIRST, "Phường Hàm Thắng", "Ham Thuan Bac"])
    assert main(["new", "--ask"]) == 0
    err = capsys.readouterr().err
    assert prompts[-2].startswith("Xã, phường, đặc khu") and prompts[-1].startswith("Huyện")
    assert "Phường Hàm Thắng được lập từ xã của nhiều huyện cũ (Thành phố Phan Thiết, Huyện Hàm Thuận Bắc)" in err
    assert "'Ham Thuan Bac' được hiểu là Huyện Hàm Thuận Bắc" in err
    path = products / "lam-dong" / "mat-ong-rung-ham-thang.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'district: "Hàm Thuận Bắc"\ncommune: "Phường Hàm Thắng"\n' in text
    product = read_record(path, products, "Lâm Đồng").product
    assert product.place.commune.full_name == "Phường Hàm Thắng" and product.place.district.name == "Hàm Thuận Bắc"
    assert (product.stars, product.current.decision, product.id) == (3, "12/QĐ-UBND", "ld-ht-0001")


def test_a_value_that_cannot_be_read_is_asked_again_alone(products, capsys, monkeypatch):
    answers = ["Mật ong rừng Hàm Thắng", "HTX Ong Hàm Thắng", "", "6", "", "12/QĐ-UBND", "31/02/2026"]
    prompts = typing(monkeypatch, [*answers, "4", "10/11/2026", "Xã Hàm Thuận"])
    assert main(["new", "--ask"]) == 0
    err = capsys.readouterr().err
    assert "--stars: ghi '6'" in err and "--date: ghi '31/02/2026'" in err
    assert len(prompts) == len(answers) + 3  # only the two bad values asked again, then the place
    product = read_record(products / "lam-dong" / "mat-ong-rung-ham-thang.yaml", products, "Lâm Đồng").product
    assert (product.stars, product.current.decision, product.producer.name) == (4, "12/QĐ-UBND", "HTX Ong Hàm Thắng")
    assert product.place.commune.full_name == "Xã Hàm Thuận"


def test_a_national_site_asks_the_province_and_keeps_the_commune(products, capsys, monkeypatch, tmp_path):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8") + '\nOCOP_SCOPE = "national"\n', encoding="utf-8")
    answers = ["Chè Shan tuyết Sính Phình", "HTX Chè Sính Phình", "", "3", "", "5/QĐ-UBND", "10/11/2026"]
    prompts = typing(monkeypatch, [*answers, "Xã Sính Phình", "Điện Bien", "Điện Biên"])
    assert main(["new", "--ask"]) == 0
    assert "--province: ghi 'Điện Bien'" in capsys.readouterr().err  # a typo: the province asked again, alone
    assert [p.split(" ")[0] for p in prompts[-3:]] == ["Xã,", "Tỉnh", "Tỉnh"]
    assert "Enter" not in prompts[-1] and "tên hiện nay" in prompts[-1]  # no site province to take by default
    text = (products / "dien-bien" / "che-shan-tuyet-sinh-phinh.yaml").read_text(encoding="utf-8")
    assert 'province: "Điện Biên"\ncommune: "Xã Sính Phình"\n' in text


def test_three_wrong_answers_give_up_and_write_nothing(products, capsys, monkeypatch):
    typing(monkeypatch, [*FIRST, "Xã Không Có", "Xã Không Có", "Xã Không Có", "Xã Không Có"])
    before = sorted(p.relative_to(products) for p in products.rglob("*.yaml"))
    assert main(["new", "--ask"]) == 1
    assert "--commune: ghi 'Xã Không Có'" in capsys.readouterr().err
    assert sorted(p.relative_to(products) for p in products.rglob("*.yaml")) == before
