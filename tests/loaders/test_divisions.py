"""Provinces before and after 1 July 2025 (obligraph.loaders.divisions).

The expectations come from Nghị quyết 202/2025/QH15 (63 provinces and
centrally-run cities -> 34), not from the package the module reads.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from obligraph.loaders import divisions
from obligraph.loaders.divisions import (
    Province,
    communes,
    find_province,
    predecessors,
    province,
    provinces,
    successor_of,
)

# Current unit -> the former units merged into it (Nghị quyết 202/2025/QH15).
MERGERS = {
    "Tuyên Quang": {"Hà Giang"},
    "Lào Cai": {"Yên Bái"},
    "Thái Nguyên": {"Bắc Kạn"},
    "Phú Thọ": {"Vĩnh Phúc", "Hòa Bình"},
    "Bắc Ninh": {"Bắc Giang"},
    "Hưng Yên": {"Thái Bình"},
    "Hải Phòng": {"Hải Dương"},
    "Ninh Bình": {"Hà Nam", "Nam Định"},
    "Quảng Trị": {"Quảng Bình"},
    "Đà Nẵng": {"Quảng Nam"},
    "Quảng Ngãi": {"Kon Tum"},
    "Gia Lai": {"Bình Định"},
    "Khánh Hòa": {"Ninh Thuận"},
    "Lâm Đồng": {"Đắk Nông", "Bình Thuận"},
    "Đắk Lắk": {"Phú Yên"},
    "Hồ Chí Minh": {"Bà Rịa - Vũng Tàu", "Bình Dương"},
    "Đồng Nai": {"Bình Phước"},
    "Tây Ninh": {"Long An"},
    "Cần Thơ": {"Sóc Trăng", "Hậu Giang"},
    "Vĩnh Long": {"Bến Tre", "Trà Vinh"},
    "Đồng Tháp": {"Tiền Giang"},
    "Cà Mau": {"Bạc Liêu"},
    "An Giang": {"Kiên Giang"},
}
UNCHANGED = {
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
}  # fmt: skip
CITIES_1_JULY_2025 = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}


def names(units: list[Province]) -> set[str]:
    return {p.name for p in units}


# -- the two maps ----------------------------------------------------------------------


def test_counts():
    assert len(provinces(current=True)) == 34
    assert len(provinces()) == 63
    assert len(provinces(current=False)) == 29
    assert len(names(provinces())) == 63


def test_current_units_are_the_resolution_s():
    assert names(provinces(current=True)) == set(MERGERS) | UNCHANGED
    assert len(MERGERS) + len(UNCHANGED) == 34


def test_every_former_unit_has_its_successor():
    expected = {old: new for new, olds in MERGERS.items() for old in olds}
    assert {p.name: p.successor for p in provinces(current=False)} == expected
    for p in provinces(current=True):
        assert p.successor == ""


@pytest.mark.parametrize(
    ("old", "new"),
    [("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"), ("Bình Dương", "Hồ Chí Minh"),
     ("Hà Giang", "Tuyên Quang"), ("Quảng Nam", "Đà Nẵng"), ("Hải Dương", "Hải Phòng"),
     ("Kon Tum", "Quảng Ngãi"), ("Bình Định", "Gia Lai")],
)  # fmt: skip
def test_successor_of_a_former_unit(old, new):
    assert successor_of(old).name == new
    assert successor_of(old).current


@pytest.mark.parametrize("name", sorted(UNCHANGED))
def test_unchanged_units_are_their_own_successors(name):
    unit = province(name)
    assert unit.current and successor_of(name) == unit
    assert predecessors(name) == [unit]


def test_successor_of_takes_a_province_and_rejects_a_non_province():
    assert successor_of(province("Yên Bái")).name == "Lào Cai"
    assert successor_of("Sở Tài chính") is None
    assert successor_of("") is None


def test_predecessors():
    assert names(predecessors("Thành phố Hồ Chí Minh")) == {
        "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Bình Dương"}  # fmt: skip
    assert predecessors("Ninh Bình")[0].name == "Ninh Bình"
    assert predecessors("Hà Giang") == []  # a former unit
    for new, olds in MERGERS.items():
        assert names(predecessors(new)) == olds | {new}


def test_kinds_on_1_july_2025():
    cities = {p.name for p in provinces(current=True) if p.kind == "thành phố"}
    assert cities == CITIES_1_JULY_2025
    assert {p.kind for p in provinces()} == {"tỉnh", "thành phố"}
    assert province("Huế").kind == "thành phố"
    assert province("Bà Rịa - Vũng Tàu").kind == "tỉnh"


def test_full_names():
    assert province("Nghệ An").full_name == "tỉnh Nghệ An"
    assert province("Hồ Chí Minh").full_name == "thành phố Hồ Chí Minh"
    assert province("Huế").full_name == "thành phố Huế"


def test_codes():
    assert province("Hà Nội").code == "01"
    assert province("Hồ Chí Minh").code == "79"
    assert province("Nghệ An").code == "40"
    # Lào Cai took Yên Bái's code 15; its own was 10
    lao_cai, yen_bai = province("Lào Cai"), province("Yên Bái")
    assert (lao_cai.code, lao_cai.former_code) == ("15", "10")
    assert (yen_bai.code, yen_bai.former_code, yen_bai.current) == ("15", "15", False)
    current = [p.code for p in provinces(current=True)]
    assert current == sorted(current) and len(set(current)) == 34
    former = [p.former_code for p in provinces()]
    assert former == sorted(former) and len(set(former)) == 63


def test_provinces_returns_a_copy():
    units = provinces()
    units.clear()
    assert len(provinces()) == 63


def test_communes():
    hanoi = communes("Hà Nội")
    assert any(c.name == "Ba Đình" and c.kind == "phường" for c in hanoi)
    assert {c.province for c in hanoi} == {"Hà Nội"}
    every = [c for p in provinces(current=True) for c in communes(p)]
    assert len(every) == 3321  # 2,621 xã, 687 phường, 13 đặc khu
    kinds = [c.kind for c in every]
    assert (kinds.count("xã"), kinds.count("phường"), kinds.count("đặc khu")) == (2621, 687, 13)
    assert communes("Hà Giang") == []  # a former unit
    assert communes("Sở Tài chính") == []


# -- names in text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "Nghệ An"),
        ("UBND tỉnh Lai Châu", "Lai Châu"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("TP. Hà Nội", "Hà Nội"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("TPHCM", "Hồ Chí Minh"),
        ("Tp. Hồ Chí Minh, ngày 3 tháng 7 năm 2025", "Hồ Chí Minh"),
        ("Hà Nội, ngày 5 tháng 11", "Hà Nội"),
        ("tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("tỉnh Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("UBND TINH NGHE AN", "Nghệ An"),
        ("Sở Y tế tỉnh Thanh Hoá", "Thanh Hóa"),  # older tone placement
        ("tỉnh Khánh Hoà", "Khánh Hòa"),
        ("UBND tỉnh Thừa Thiên Huế", "Huế"),  # its name until 2025
        ("HUẾ", "Huế"),
        ("Đăk Lăk", "Đắk Lắk"),
        ("Đoàn TNCS Hồ Chí Minh Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("ủy ban nhân dân tỉnh cao bằng", "Cao Bằng"),  # no capitals at all
    ],
)
def test_find_province(text, name):
    assert find_province(text).name == name


@pytest.mark.parametrize(
    "text",
    [
        "Sở Tài chính",
        "Cục Thuế",  # "thue" holds "hue", but not as a word
        "ông Nguyễn Long Anh",  # "long anh" holds "long an"
        "bà Nguyễn Thị Huệ",  # folds to "hue", other diacritics
        "Vì hòa bình và phát triển",  # peace, not Hòa Bình
        "Có chiều cao bằng nhau",
        "Thái Bình Dương",  # the Pacific Ocean
        "Học viện Chính trị quốc gia Hồ Chí Minh",
        "Chủ tịch Hồ Chí Minh",
        "Đoàn TNCS HCM",
        "",
    ],
)
def test_find_province_finds_none(text):
    assert find_province(text) is None


def test_longest_match_wins():
    assert find_province("Hà Nội, UBND tỉnh Lai Châu").name == "Lai Châu"
    assert find_province("Hải Dương và thành phố Hải Phòng").name == "Hải Phòng"
    # equally long: the first
    assert find_province("tỉnh Hà Giang và tỉnh Tuyên Quang").name == "Hà Giang"


def test_find_province_returns_former_units():
    unit = find_province("tỉnh Bà Rịa - Vũng Tàu")
    assert not unit.current and unit.successor == "Hồ Chí Minh"
    assert successor_of(unit).full_name == "thành phố Hồ Chí Minh"


def test_province_is_a_whole_name():
    assert province("Hồ Chí Minh") == province("TP.HCM") == province("thành phố Hồ Chí Minh")
    assert province("ho chi minh").name == "Hồ Chí Minh"
    assert province("UBND tỉnh Nghệ An") is None
    assert province("Huệ") is None


def test_every_name_and_full_name_is_found():
    for p in provinces():
        if p.name != "Hồ Chí Minh":  # bare, it is mostly the man (see the aliases file)
            assert find_province(p.name) == p, p
        assert find_province(p.full_name) == p, p
        assert find_province(p.full_name.upper()) == p, p
        assert province(p.name) == p and province(p.full_name) == p


def test_aliases_name_known_units():
    for alias, target in divisions._aliases():
        if target:
            assert province(alias).name == target, alias


def test_importing_the_module_does_not_import_the_package():
    code = ("import sys, obligraph.loaders.divisions as d; "
            f"print({divisions.PACKAGE!r} in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "False"


def test_source_names_the_package():
    assert divisions.source().startswith("vietnamadminunits ")
