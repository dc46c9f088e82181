"""What the synthetic sample holds: volumes, the pilot's letters, the rows that must not get a
plain letter, and the outcome each of those is meant to get."""

from __future__ import annotations

from datetime import date

from hcpvnd_utils.records import DUPLICATE, LETTER, NOT_ELIGIBLE, OUT_OF_PERIOD, REJECTED

SAMPLE_OUTCOMES = (LETTER, REJECTED, OUT_OF_PERIOD, DUPLICATE, NOT_ELIGIBLE)


# The 2024 dispatch: letters in the two pilot communes over the first three months.
DISPATCH = {"khai_sinh": 54, "ket_hon": 62, "khai_tu": 21}
PILOT_MONTHS = 3
# Letters per pilot unit and month, as (births, marriages, deaths); they add up to DISPATCH.
PILOT_LETTERS = {
    "vn-admin-pre-2025": {
        "phuoc-quang": {"2024-03": (9, 12, 4), "2024-04": (10, 9, 3), "2024-05": (9, 11, 4)},
        "phuoc-nghia": {"2024-03": (8, 11, 3), "2024-04": (9, 8, 4), "2024-05": (9, 11, 3)},
    }
}

# Registrations a month for the whole former district (about 15 / 7 / 8 per unit of 13),
# shared among the units of the file, and the month's weight (weddings peak at year end).
DISTRICT_MONTHLY = {"khai_sinh": 195.0, "ket_hon": 91.0, "khai_tu": 104.0}
SEASON = {
    "khai_sinh": [1.0, 0.9, 1.0, 1.0, 1.0, 0.95, 1.0, 1.0, 1.1, 1.1, 1.0, 1.0],
    "ket_hon": [1.3, 1.1, 1.0, 0.9, 0.8, 0.7, 0.7, 0.55, 1.0, 1.2, 1.4, 1.5],
    "khai_tu": [1.15, 1.1, 1.0, 0.95, 0.95, 0.9, 0.9, 0.95, 1.0, 1.0, 1.05, 1.15],
}
HOLIDAYS = {
    date(2024, 4, 30), date(2024, 5, 1), date(2024, 9, 2), date(2024, 9, 3),
    date(2025, 4, 30), date(2025, 5, 1), date(2025, 9, 1), date(2025, 9, 2),
}  # fmt: skip

# Rows that must not get a plain letter: (file month, event, kind), per scheme and unit
# (twins and the rest at the end of REASONS get a letter, but not a plain one).
# "outside_period" in a unit's first month is dated before the unit's start, later ones are
# dated the last working day of the previous month; "child_death" adds the birth (no letter)
# and the child's death (a condolence letter) to the same month.
SPECIALS = {
    "vn-admin-pre-2025": {
        "phuoc-quang": [("2024-03", "khai_sinh", "adult_birth"),
                        ("2024-03", "ket_hon", "outside_period"),
                        ("2024-04", "ket_hon", "duplicate"),
                        ("2024-04", "khai_sinh", "id_lost_zero"),
                        ("2024-05", "khai_tu", "late_death"),
                        ("2024-07", "khai_sinh", "late_birth"),
                        ("2024-09", "khai_tu", "late_death"),
                        ("2024-12", "khai_tu", "missing_reg_date")],
        "phuoc-nghia": [("2024-03", "khai_sinh", "outside_period"),
                        ("2024-03", "khai_tu", "duplicate"),
                        ("2024-04", "khai_sinh", "child_death"),
                        ("2024-04", "khai_tu", "missing_reg_date"),
                        ("2024-05", "khai_sinh", "late_birth"),
                        ("2024-05", "ket_hon", "id_lost_zero"),
                        ("2024-08", "khai_sinh", "adult_birth"),
                        ("2024-10", "khai_tu", "late_death"),
                        ("2024-11", "ket_hon", "duplicate")],
        "tuy-phuoc": [("2024-08", "khai_sinh", "outside_period"),
                      ("2024-08", "khai_sinh", "adult_birth"),
                      ("2024-09", "khai_tu", "late_death"),
                      ("2024-09", "khai_tu", "elder_death"),
                      ("2024-10", "ket_hon", "duplicate"),
                      ("2024-11", "khai_tu", "id_lost_zero")],
        "dieu-tri": [("2024-09", "khai_sinh", "outside_period"),
                     ("2024-10", "khai_sinh", "adult_birth"),
                     ("2024-11", "khai_tu", "late_death"),
                     ("2024-12", "khai_sinh", "id_lost_zero")],
        "phuoc-thang": [("2024-09", "khai_tu", "outside_period"),
                        ("2024-10", "khai_sinh", "missing_reg_date"),
                        ("2024-11", "khai_sinh", "late_birth"),
                        ("2024-12", "ket_hon", "duplicate")],
        "phuoc-hung": [("2024-09", "ket_hon", "outside_period"),
                       ("2024-10", "khai_tu", "late_death"),
                       ("2024-11", "khai_sinh", "adult_birth"),
                       ("2024-12", "khai_sinh", "duplicate")],
        "phuoc-hoa": [("2024-07", "khai_sinh", "outside_period"),
                      ("2024-08", "khai_sinh", "adult_birth"),
                      ("2024-09", "khai_sinh", "twins"),
                      ("2024-09", "khai_tu", "duplicate"),
                      ("2024-10", "ket_hon", "id_lost_zero"),
                      ("2024-11", "khai_sinh", "child_death")],
        "phuoc-son": [("2024-07", "khai_tu", "late_death"),
                      ("2024-08", "khai_sinh", "adult_birth"),
                      ("2024-10", "ket_hon", "duplicate"),
                      ("2024-11", "khai_sinh", "outside_period"),
                      ("2024-12", "khai_tu", "young_death")],
        "phuoc-hiep": [("2024-09", "khai_sinh", "adult_birth"),
                       ("2024-10", "khai_tu", "id_lost_zero"),
                       ("2024-12", "ket_hon", "outside_period")],
        "phuoc-loc": [("2024-07", "ket_hon", "outside_period"),
                      ("2024-09", "khai_sinh", "id_lost_zero"),
                      ("2024-10", "khai_sinh", "triplets"),
                      ("2024-10", "khai_tu", "late_death"),
                      ("2024-12", "khai_sinh", "adult_birth")],
        "phuoc-thuan": [("2024-08", "khai_sinh", "outside_period"),
                        ("2024-10", "khai_sinh", "adult_birth"),
                        ("2024-11", "khai_tu", "late_death"),
                        ("2024-12", "khai_sinh", "duplicate")],
        "phuoc-an": [("2024-08", "khai_sinh", "adult_birth"),
                     ("2024-10", "khai_sinh", "child_death"),
                     ("2024-11", "khai_sinh", "bad_reg_date"),
                     ("2024-11", "khai_tu", "outside_period")],
        "phuoc-thanh": [("2024-09", "ket_hon", "outside_period"),
                        ("2024-10", "khai_tu", "late_death"),
                        ("2024-11", "khai_tu", "id_lost_zero"),
                        ("2024-12", "khai_sinh", "bad_dob")],
    },
    "vn-admin-2025": {
        "tuy-phuoc": [("2025-07", "khai_sinh", "adult_birth"),
                      ("2025-08", "khai_tu", "late_death"),
                      ("2025-09", "ket_hon", "duplicate"),
                      ("2025-09", "ket_hon", "foreign_spouse")],
        "tuy-phuoc-bac": [("2025-08", "ket_hon", "outside_period"),
                          ("2025-08", "khai_sinh", "late_birth"),
                          ("2025-09", "khai_sinh", "id_lost_zero")],
        "tuy-phuoc-dong": [("2025-08", "khai_sinh", "outside_period"),
                           ("2025-09", "khai_sinh", "child_death"),
                           ("2025-09", "khai_tu", "missing_reg_date")],
        "tuy-phuoc-tay": [("2025-08", "khai_tu", "late_death"),
                          ("2025-09", "khai_sinh", "adult_birth"),
                          ("2025-09", "khai_sinh", "bad_reg_date")],
    },
}  # fmt: skip

# Why a special row gets its outcome (the manifest's "reason"; "warning" for a letter).
REASONS = {
    "adult_birth": (NOT_ELIGIBLE, "birth_registered_after_12_months"),
    "late_birth": (NOT_ELIGIBLE, "birth_registered_after_12_months"),
    "late_death": (NOT_ELIGIBLE, "death_registered_after_90_days"),
    "child_death": (NOT_ELIGIBLE, "child_death_registered_same_month"),
    "outside_period": (OUT_OF_PERIOD, "reg_date_outside_file_period"),
    "duplicate": (DUPLICATE, "same_book_and_number"),
    "bad_reg_date": (REJECTED, "invalid_reg_date"),
    "bad_dob": (REJECTED, "invalid_child_dob"),
    "missing_reg_date": (REJECTED, "missing_reg_date"),
    "id_lost_zero": (LETTER, "id_lost_leading_zero"),
    # letters that fit the family (issue 17): one letter for twins or triplets, and the variant
    # templates the shipped units files choose
    "twins": (LETTER, "twins_one_letter"),
    "triplets": (LETTER, "triplets_one_letter"),
    "young_death": (LETTER, "death_of_a_child"),
    "elder_death": (LETTER, "death_at_95"),
    "foreign_spouse": (LETTER, "foreign_spouse"),
}
# The template variant (units.yaml, letters:) each of these rows' letter is meant to use
VARIANTS = {
    "twins": "sinh_doi",
    "triplets": "sinh_doi",
    "young_death": "tre_em",
    "elder_death": "cao_tuoi",
    "foreign_spouse": "nuoc_ngoai",
}
