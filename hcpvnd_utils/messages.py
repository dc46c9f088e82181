"""One Vietnamese text per stable code.

Every message a clerk sees is built here: where (file, sheet, row, column), what is wrong, and
what to do. Modules with codes of their own add them with ``register`` at import time; a code
is defined in exactly one place.

A message may quote the cell it is about (``{value}``): that full text goes only into the
protected workbooks under outputs/. The console and the logs get the same message rendered with
every cell value left out (``render_without_cell_values``, kept on the Problem when it is made);
it is derived from the catalog, so a new code quoting a cell is covered without anyone thinking
of it.
"""

from __future__ import annotations

import re
from string import Formatter

CATALOG: dict[str, str] = {
    # configuration
    "E-CONF-01": "Không đọc được tệp cấu hình {path}: {detail}. Kiểm tra tệp có đúng dạng YAML.",
    "E-CONF-02": "Tệp cấu hình {path}, mục {key}: {detail}. Sửa mục này rồi chạy lại.",
    "E-CONF-03": "Tệp cấu hình {path}: không có đơn vị nào tên là “{unit}”. Các đơn vị có trong tệp: {known}.",
    "E-CONF-04": "Tệp cấu hình {path} chỉ dùng cho thời gian từ {start} đến {end}; kỳ {period} nằm ngoài thời gian đó. Chọn tệp cấu hình của thời gian này bằng --inputs (ví dụ --inputs inputs/gia-lai-2025 cho các xã từ 01/7/2025).",
    "E-PERIOD-01": "Kỳ “{value}” không hợp lệ. Dùng một trong các dạng: 2024-09 (tháng), 2024-Q3 (quý), 2024 (năm), 2024-03-01..2024-05-31 (từ ngày..đến ngày).",
    # whole files
    "E-FILE-01": "Tệp {file}: không đọc được ({detail}). Mở tệp bằng Excel, lưu lại dạng .xlsx rồi chạy lại.",
    "E-FILE-02": "Tệp {file} trống, không có dữ liệu. Xuất lại danh sách từ phần mềm hộ tịch.",
    "E-FILE-03": "Tệp {file} được đặt mật khẩu. Mở tệp, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại.",
    "E-FILE-04": "Tệp {file}, trang “{sheet}”: không tìm thấy dòng tiêu đề cột (ví dụ “Họ và tên”, “Ngày đăng ký”). Kiểm tra trang có đúng là danh sách đăng ký khai sinh, kết hôn hoặc khai tử.",
    "E-FILE-05": "Thư mục {path} không tồn tại hoặc không có tệp danh sách (.xlsx, .xls, .csv). Đặt các tệp xuất từ phần mềm hộ tịch vào thư mục này.",
    "E-FILE-07": "Đơn vị {unit}: {count} tệp không đọc được nên chưa làm thư nào:\n{details}\nSửa hoặc thay các tệp này (danh sách cũng có trong rejected.xlsx) rồi chạy lại.",
    # rows
    "E-REQ-01": "Thiếu {what}. Bổ sung vào ô này rồi chạy lại.",
    "E-DATE-01": "“{value}” không phải ngày hợp lệ. Sửa theo dạng ngày/tháng/năm (ví dụ 05/09/2024) rồi chạy lại.",
    "E-DATE-02": "ngày ghi trong ô này ở tương lai (sau hôm nay). Kiểm tra lại ngày.",
    "E-DATE-03": "ngày ghi trong ô này sau ngày đăng ký. Kiểm tra lại ngày sinh/ngày chết và ngày đăng ký.",
    "E-ID-01": "số định danh có {digits} chữ số; số định danh cá nhân có 12 chữ số (người lớn có thể ghi số CMND cũ 9 chữ số hoặc số hộ chiếu). Kiểm tra lại số này.",
    "E-ID-02": "số định danh có chữ cái hoặc ký tự khác chữ số; số định danh cá nhân chỉ gồm 12 chữ số (người lớn có thể ghi số CMND cũ 9 chữ số hoặc số hộ chiếu). Kiểm tra lại số này; nếu Excel hiện số dạng 9,9E+10 thì định dạng cột là Văn bản (Text) rồi gõ lại số.",
    "E-NAME-01": "nội dung ô không giống họ tên người (có chữ số hoặc ký tự lạ). Kiểm tra lại ô này.",
    # outcomes that are not errors
    "R-DUP-01": "trùng số đăng ký {reg_no} với dòng {other_row} của tệp {other_file}. Chỉ gửi một thư; xóa dòng trùng trong tệp nếu cần.",
    "R-PERIOD-01": "ngày đăng ký {value} nằm ngoài kỳ {period}. Không gửi thư trong kỳ này.",
    "R-OLD-01": "người được khai sinh đã {months} tháng tuổi khi đăng ký (quá {limit} tháng: đăng ký lại hoặc quá hạn). Không gửi thư chúc mừng.",
    "R-LATE-01": "khai tử sau {days} ngày kể từ ngày chết (quá {limit} ngày). Không gửi thư chia buồn.",
    "R-CHILDDEATH-01": "trẻ này có đăng ký khai tử trong cùng kỳ (dòng {other_row} tệp {other_file}). Không gửi thư chúc mừng.",
    "R-KIND-01": "loại đăng ký “{value}” không thuộc diện gửi thư. Không gửi thư.",
    "R-SENT-01": "đã làm thư cho đăng ký này ngày {sent_on}. Không gửi lần hai.",
    # warnings
    "W-ID-01": "số định danh có 11 chữ số; đã thêm số 0 ở đầu. Kiểm tra lại, và định dạng cột này là Văn bản (Text) trong Excel để không mất số 0.",
    "W-CHANGED-01": "dòng này đã được sửa sau khi thư được làm. Nếu sửa họ tên hoặc ngày, làm lại thư bằng lệnh letters với --regenerate (thư đã chốt thì không làm lại).",
    "W-ENC-01": "Tệp {file}, trang “{sheet}”: chữ được gõ bằng bảng mã {encoding}; đã tự chuyển sang Unicode. Kiểm tra lại tên người trong thư, và lần sau lưu tệp bằng Unicode.",
}


def register(entries: dict[str, str]) -> None:
    """Add a module's own codes; a code may be defined only once."""
    for code, text in entries.items():
        if code in CATALOG and CATALOG[code] != text:
            raise ValueError(f"message code {code} defined twice")
        CATALOG[code] = text


def location(file="", sheet="", row=None, column="") -> str:
    """'Tệp X, trang "KS", dòng 17, cột "Ngày đăng ký"' — only the parts that are known."""
    parts = []
    if file:
        parts.append(f"Tệp {file}")
    if sheet:
        parts.append(f"trang “{sheet}”")
    if row is not None:
        parts.append(f"dòng {row}")
    if column:
        parts.append(f"cột “{column}”")
    return ", ".join(parts)


def prefix(code: str, file="", sheet="", row=None, column="") -> str:
    """'[code] location: ' for a row-level message, '[code] ' for any other."""
    where = location(file, sheet, row, column) if row is not None else ""
    return f"[{code}] {where}: " if where else f"[{code}] "


def render(code: str, *, file="", sheet="", row=None, column="", **fields) -> str:
    """The full message: [code] location: text. Row-level texts get the location prefix."""
    text = CATALOG[code].format(file=file, sheet=sheet, row=row, column=column, **fields)
    return prefix(code, file, sheet, row, column) + text


# --- the console: no cell value ---------------------------------------------------------------

CELL_FIELDS = ("value",)  # fields that quote a cell: a name, a date of birth, an ID number
_FORMATTER = Formatter()


def _where(problem) -> str:
    return prefix(problem.code, problem.file, problem.sheet, problem.row, problem.column)


def quotes_a_cell(code: str) -> bool:
    return any(name in CELL_FIELDS for name in field_names(CATALOG.get(code, "")))


def field_names(template: str) -> list[str]:
    return [name for _, name, _, _ in _FORMATTER.parse(template) if name]


def without_cell_values(template: str) -> str:
    """The template with each quoted cell left out: "“{value}” không phải ngày" → "nội dung ô
    không phải ngày"; "giới tính “{value}” không rõ" → "giới tính ghi trong ô không rõ";
    "ngày đăng ký {value} nằm ngoài kỳ" → "ngày đăng ký nằm ngoài kỳ"."""
    for name in CELL_FIELDS:
        field = "{" + name + "}"
        template = re.sub("^“" + re.escape(field) + "”", "nội dung ô", template)
        template = template.replace(f"“{field}”", "ghi trong ô").replace(f" {field}", "")
        template = template.replace(field, "nội dung ô")
    return template


def render_without_cell_values(code: str, *, file="", sheet="", row=None, column="", **fields):
    """``render`` with every quoted cell left out: what the console and the logs may show."""
    text = without_cell_values(CATALOG[code]).format(
        file=file, sheet=sheet, row=row, column=column, **fields
    )
    return prefix(code, file, sheet, row, column) + text


def console_text(problem) -> str:
    """The problem's message for the console and the logs: no cell value in it (the workbooks
    under outputs/ keep the full message). A problem made by hand with a cell in its message
    says only where to look."""
    if getattr(problem, "shown", ""):
        return problem.shown
    if not quotes_a_cell(problem.code):
        return problem.message
    return _where(problem) + "nội dung ô này chưa đúng; xem chi tiết trong tệp Excel kiểm tra."


def sheet_text(problem) -> str:
    """A row's message said for its whole sheet (a column the sheet lacks): the row left out."""
    text = console_text(problem).removeprefix(_where(problem))
    return f"[{problem.code}] {location(problem.file, problem.sheet)}: {text}"
