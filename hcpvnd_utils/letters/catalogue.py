"""The clerk's API: every field a letter template may use, its meaning and an example, per event
(templates/README.md shows the same tables; a test keeps them identical).

The examples are what ``letterfields.letter_context`` gives for ``SAMPLE_RECORDS`` (a test checks
it), so this table cannot drift from the code; ``sample_context`` is what ``templates check``
renders a template with (both branches of its conditions).
"""

from __future__ import annotations

from datetime import date

from ..config import Rollout, Signer, Unit
from ..letterfields import YesNo

# The clerk's API: every field a template may use, with its meaning and an example.
# (description, example); the examples are what letterfields.letter_context gives for SAMPLE_RECORDS
# below (tests/test_templates.py checks it), so this table cannot drift from the code.
COMMON_FIELDS = {
    "ten_xa": ("Tên xã (phường, thị trấn), không có chữ “xã”", "Phước Thành"),
    "loai_don_vi": ("Loại đơn vị: xã, phường hoặc thị trấn", "xã"),
    "ten_don_vi": ("Tên đơn vị, chữ loại viết thường (dùng trong câu)", "xã Phước Thành"),
    "ten_ubnd": ("Tên Ủy ban nhân dân, dùng trong câu", "Ủy ban nhân dân xã Phước Thành"),
    "co_quan": ("Tên cơ quan ở góc trái, dòng 1 (in hoa)", "ỦY BAN NHÂN DÂN"),
    "don_vi_in_hoa": ("Tên cơ quan ở góc trái, dòng 2 (in hoa)", "XÃ PHƯỚC THÀNH"),
    "dia_danh": ("Địa danh ghi ở dòng ngày tháng", "Phước Thành"),
    "ngay_thang": (
        "Dòng địa danh, ngày tháng năm của thư",
        "Phước Thành, ngày 04 tháng 11 năm 2024",
    ),
    "ngay_thu": ("Ngày tháng năm của thư, không có địa danh", "ngày 04 tháng 11 năm 2024"),
    "so_dang_ky": (
        "Số đăng ký trong sổ hộ tịch (thư chung: các số, cách nhau bằng dấu phẩy)",
        "101",
    ),
    "quyen_so": ("Quyển số (trống nếu danh sách không có cột này)", "01/2024"),
    "ngay_dang_ky": (
        "Ngày đăng ký (thư chung cho nhiều trẻ: các ngày, nối bằng “và”)",
        "04/11/2024",
    ),
    "loai_dang_ky": ("Loại đăng ký như ghi trong sổ (có thể trống)", "Đúng hạn"),
    "dia_chi": (
        "Địa chỉ người nhận như ghi trong sổ (có thể trống)",
        "thôn Phú Mỹ 1, xã Phước Thành",
    ),
    "tham_quyen_ky": ("Thẩm quyền ký", "TM. ỦY BAN NHÂN DÂN"),
    "chuc_vu_ky": ("Chức vụ người ký, dòng 1", "KT. CHỦ TỊCH"),
    "chuc_vu_ky_2": ("Chức vụ người ký, dòng 2 (trống khi chỉ có một dòng)", "PHÓ CHỦ TỊCH"),
    "nguoi_ky": ("Họ tên người ký", "Cao Thị Thu Trang"),
}
EVENT_FIELDS = {
    "khai_sinh": {
        "kinh_gui": ("Người nhận sau “Kính gửi:” (cha và mẹ, hoặc chỉ mẹ khi không có tên cha)",
                     "Anh Nguyễn Văn Cường và chị Trần Thị Bích Ngọc"),
        "nguoi_nhan": ("Cách gọi người nhận trong thân thư", "anh chị"),
        "ho_ten_tre": ("Họ tên trẻ (sinh đôi, sinh ba: họ tên các cháu, nối bằng “và”)",
                       "Nguyễn Minh Khôi"),
        "ngay_sinh_tre": ("Ngày sinh của trẻ", "15/10/2024"),
        "gioi_tinh_tre": ("Giới tính của trẻ: Nam hoặc Nữ (có thể trống; trống khi các cháu "
                          "khác giới tính)", "Nam"),
        "so_tre": ("Số trẻ trong thư: 1, hoặc 2 khi sinh đôi, 3 khi sinh ba", 1),
        "so_tre_bang_chu": ("Số trẻ bằng chữ: một, hai, ba…", "một"),
        "cac_chau": ("“cháu” và họ tên trẻ; sinh đôi, sinh ba: “hai cháu A và B”, “ba cháu A, "
                     "B và C”", "cháu Nguyễn Minh Khôi"),
        "co_nhieu_tre": ("Thư chung cho nhiều trẻ (sinh đôi, sinh ba) hay không", False),
        "ho_ten_cha": ("Họ tên cha (trống khi không có)", "Nguyễn Văn Cường"),
        "danh_xung_cha": ("Cách gọi cha, chữ thường: anh hoặc ông", "anh"),
        "co_cha": ("Có tên cha hay không (dùng trong {%p if co_cha %})", True),
        "ho_ten_me": ("Họ tên mẹ (trống khi không có)", "Trần Thị Bích Ngọc"),
        "danh_xung_me": ("Cách gọi mẹ, chữ thường: chị hoặc bà", "chị"),
        "co_me": ("Có tên mẹ hay không (dùng trong {%p if co_me %})", True),
    },
    "ket_hon": {
        "kinh_gui": ("Người nhận sau “Kính gửi:”", "Anh Lê Quốc Bảo và chị Phạm Thị Thu Hà"),
        "nguoi_nhan": ("Cách gọi người nhận trong thân thư", "anh chị"),
        "ho_ten_chong": ("Họ tên chồng (bên nam)", "Lê Quốc Bảo"),
        "danh_xung_chong": ("Cách gọi chồng, chữ thường: anh hoặc ông", "anh"),
        "ho_ten_vo": ("Họ tên vợ (bên nữ)", "Phạm Thị Thu Hà"),
        "danh_xung_vo": ("Cách gọi vợ, chữ thường: chị hoặc bà", "chị"),
        "quoc_tich_chong": ("Quốc tịch của chồng như ghi trong sổ (có thể trống)", "Việt Nam"),
        "quoc_tich_vo": ("Quốc tịch của vợ như ghi trong sổ (có thể trống)", "Việt Nam"),
        "co_nguoi_nuoc_ngoai": ("Chồng hoặc vợ là người nước ngoài (quốc tịch khác Việt Nam, "
                                "hoặc loại đăng ký có yếu tố nước ngoài)", False),
    },
    "khai_tu": {
        "kinh_gui": (("Người nhận sau “Kính gửi:” (người đi khai tử và gia đình; gia đình người "
                      "mất khi không có người đi khai tử)"), "Ông Huỳnh Văn Tâm và gia đình"),
        "nguoi_nhan": ("Cách gọi người nhận trong thân thư", "ông và gia đình"),
        "ho_ten_nguoi_mat": ("Họ tên người mất", "Võ Thị Lài"),
        "danh_xung_nguoi_mat": ("Cách gọi người mất theo tuổi: cụ, ông, bà, anh, chị, cháu", "cụ"),
        "nguoi_mat": ("Cách gọi và họ tên người mất", "cụ Võ Thị Lài"),
        "ngay_mat": ("Ngày mất", "02/9/2024"),
        "gioi_tinh_nguoi_mat": ("Giới tính người mất: Nam hoặc Nữ (có thể trống)", "Nữ"),
        "tuoi_nguoi_mat": ("Tuổi người mất, tròn năm (trống khi không rõ; mẫu mặc định không "
                           "in tuổi)", 93),
        "huong_tho": ("“hưởng thọ … tuổi” (từ 60 tuổi, đặt bằng long_life_age) hoặc “hưởng "
                      "dương … tuổi”; trống khi không rõ tuổi (mẫu mặc định không in)",
                      "hưởng thọ 93 tuổi"),
        "ho_ten_nguoi_khai": ("Họ tên người đi khai tử (trống khi không có)", "Huỳnh Văn Tâm"),
        "danh_xung_nguoi_khai": ("Cách gọi người đi khai tử: ông, bà hoặc ông/bà", "ông"),
        "co_nguoi_khai": ("Có người đi khai tử hay không", True),
    },
}  # fmt: skip
# The records the catalogue's examples come from (synthetic), and the unit that signs them.
SAMPLE_UNIT = Unit(
    key="phuoc-thanh",
    code=21988,
    scheme="vn-admin-pre-2025",
    type="xã",
    name="Phước Thành",
    short_name="Phước Thành",
    rollout=Rollout(None, None, None),
    signer=Signer("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Cao Thị Thu Trang"),
)
SAMPLE_DATE = date(2024, 11, 4)
_REGISTRATION = {"reg_book": "01/2024", "reg_no": "101", "reg_date": SAMPLE_DATE,
                 "reg_kind": "Đúng hạn"}  # fmt: skip
_HOME = "thôn Phú Mỹ 1, xã Phước Thành"
SAMPLE_RECORDS = {
    "khai_sinh": {**_REGISTRATION, "child_full_name": "Nguyễn Minh Khôi",
                  "child_dob": date(2024, 10, 15), "child_sex": "Nam",
                  "mother_full_name": "Trần Thị Bích Ngọc", "mother_birth_year": 1998,
                  "mother_residence": _HOME, "father_full_name": "Nguyễn Văn Cường",
                  "father_birth_year": 1996},
    "ket_hon": {**_REGISTRATION, "husband_full_name": "Lê Quốc Bảo", "husband_dob": date(1997, 5, 2),
                "husband_residence": _HOME, "wife_full_name": "Phạm Thị Thu Hà",
                "wife_dob": date(1999, 8, 20), "husband_nationality": "Việt Nam",
                "wife_nationality": "Việt Nam"},
    "khai_tu": {**_REGISTRATION, "deceased_full_name": "Võ Thị Lài", "deceased_dob": 1931,
                "deceased_sex": "Nữ", "death_date": date(2024, 9, 2), "last_residence": _HOME,
                "declarant_full_name": "Huỳnh Văn Tâm", "declarant_relation": "con",
                "declarant_residence": _HOME},
}  # fmt: skip
# The fields only a letter for several children fills differently: a template using none of
# them names the children as one ("cháu A và B"), which the run says (W-TPL-04).
MULTI_CHILD_FIELDS = ("so_tre", "so_tre_bang_chu", "cac_chau", "co_nhieu_tre")


def field_catalogue(event: str) -> dict[str, tuple[str, object]]:
    """Every field a template for ``event`` may use: name -> (description, example)."""
    return {**COMMON_FIELDS, **EVENT_FIELDS[event]}


# the other branch of what a template may test: a girl, the older forms of address
OTHER_BRANCH = {"gioi_tinh_tre": "Nữ", "danh_xung_cha": "ông", "danh_xung_me": "bà",
                "danh_xung_chong": "ông", "danh_xung_vo": "bà", "danh_xung_nguoi_mat": "anh",
                "danh_xung_nguoi_khai": "bà", "chuc_vu_ky_2": "", "dia_chi": "", "quyen_so": "",
                "so_tre": 2, "so_tre_bang_chu": "hai", "tuoi_nguoi_mat": "", "huong_tho": "",
                "cac_chau": "hai cháu Nguyễn Minh Khôi và Nguyễn Minh An",
                "ho_ten_tre": "Nguyễn Minh Khôi và Nguyễn Minh An", "loai_dang_ky": "", "quoc_tich_vo": "Hàn Quốc"}  # fmt: skip


def sample_context(event: str, flags: bool = True) -> dict:
    """The catalogue's examples as a context; ``flags=False`` takes every other branch."""
    context = {
        name: YesNo(example) if isinstance(example, bool) else example
        for name, (_, example) in field_catalogue(event).items()
    }
    if not flags:
        context.update({k: YesNo(not v) for k, v in context.items() if isinstance(v, YesNo)})
        context.update({k: v for k, v in OTHER_BRANCH.items() if k in context})
    return context
