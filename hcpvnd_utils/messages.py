"""One Vietnamese text per stable code.

Every message a clerk sees is built here: where (file, sheet, row, column), what is wrong, and
what to do. Every code is defined here, in this one catalogue, whatever module uses it: a code
exists whether or not that module has been imported, and is defined exactly once.

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
    "E-CONF-03": "Tệp cấu hình {path}: không có đơn vị nào tên là “{unit}”.{hint} Các đơn vị có trong tệp: {known}.",
    "E-CONF-04": "Tệp cấu hình {path} chỉ dùng cho thời gian từ {start} đến {end}; kỳ {period} nằm ngoài thời gian đó. Chọn tệp cấu hình của thời gian này bằng --inputs (ví dụ --inputs inputs/gia-lai-2025 cho các xã từ 01/7/2025).",
    "E-PERIOD-02": "Kỳ “{value}”: ngày bắt đầu {start} sau ngày kết thúc {end}. Ghi ngày bắt đầu trước: {swapped}.",
    "E-CONF-05": "Thư mục dữ liệu {folder} không có tệp units.yaml (danh sách đơn vị). Kiểm tra --inputs: đó phải là thư mục chứa units.yaml và một thư mục cho mỗi xã, ví dụ --inputs inputs hoặc --inputs inputs/gia-lai-2025.",
    "I-RUN-01": "{name} bắt đầu gửi thư từ ngày {start}; {period} trước ngày đó nên không có thư nào trong kỳ này.",
    "I-RUN-02": "{name} chưa có ngày bắt đầu gửi thư (rollout.letters_start trong units.yaml) nên chưa làm thư nào.",
    "E-PERIOD-01": "Kỳ “{value}” không hợp lệ. Dùng một trong các dạng: 2024-09 (tháng), 2024-Q3 (quý), 2024 (năm), 2024-03-01..2024-05-31 (từ ngày..đến ngày).",
    # whole files
    "E-FILE-01": "Tệp {file}: không đọc được ({detail}). Mở tệp bằng Excel, lưu lại dạng .xlsx rồi chạy lại.",
    "E-FILE-02": "Tệp {file} trống, không có dữ liệu. Xuất lại danh sách từ phần mềm hộ tịch.",
    "E-FILE-03": "Tệp {file} được đặt mật khẩu. Mở tệp, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại.",
    "E-FILE-04": "Tệp {file}, trang “{sheet}”: không tìm thấy dòng tiêu đề cột (ví dụ “Họ và tên”, “Ngày đăng ký”). Kiểm tra trang có đúng là danh sách đăng ký khai sinh, kết hôn hoặc khai tử.",
    "E-FILE-10": "Không có tệp {file}. Kiểm tra tên tệp và thư mục (gõ đúng đường dẫn), hoặc bỏ tên tệp và dùng --unit để kiểm tra mọi tệp trong thư mục của xã.",
    "E-FILE-11": "{file} là một thư mục, không phải tệp danh sách. Ghi tên từng tệp trong thư mục đó, hoặc dùng --unit <mã xã> để kiểm tra mọi tệp của xã.",
    "E-FILE-05": "Thư mục {path} không tồn tại hoặc không có tệp danh sách (.xlsx, .xls, .csv). Đặt các tệp xuất từ phần mềm hộ tịch vào thư mục này.",
    "E-FILE-08": "Tệp {file}, {detail}. Mở tệp bằng Excel hoặc Notepad, sửa chỗ này, lưu lại rồi chạy lại.",
    "E-FILE-09": "Tệp {file}: {detail}. Chưa đọc tệp này. Mở tệp bằng Excel, chép riêng bảng danh sách (chỉ các ô có dữ liệu) sang một sổ mới, lưu dạng .xlsx rồi chạy lại; nếu không mở được, xuất lại danh sách từ phần mềm hộ tịch.",
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
    "E-KEY-01": "số đăng ký {reg_no} (quyển {book}) đã được ghi trong sổ theo dõi thư cho một đăng ký khác: ngày đăng ký {other_date}, người khác ({letter}). Dòng này không phải đăng ký đó nên chưa làm thư, và thư của gia đình kia không bị làm lại. Nếu xã có nhiều quyển sổ trong năm (số đăng ký đánh lại từ 1 ở mỗi quyển), thêm cột “Quyển số” vào danh sách (ghi đúng quyển của từng dòng) rồi chạy lại; nếu không, kiểm tra lại số đăng ký và ngày đăng ký của dòng này.",
    "E-KEY-02": "trùng số đăng ký {reg_no} (quyển {book}) với dòng {other_row} của tệp {other_file}, nhưng hai dòng ghi người khác nhau và ngày đăng ký khác nhau ({date} và {other_date}): đây là hai đăng ký khác nhau, không phải dòng trùng, nên chưa làm thư cho dòng này. Không xóa dòng nào. Nếu xã có nhiều quyển sổ trong năm (số đăng ký đánh lại từ 1 ở mỗi quyển), thêm cột “Quyển số” vào danh sách (ghi đúng quyển của từng dòng) rồi chạy lại; nếu không, kiểm tra lại số đăng ký của hai dòng.",
    "R-PERIOD-01": "ngày đăng ký {value} nằm ngoài kỳ {period}. Không gửi thư trong kỳ này.",
    "R-OLD-01": "người được khai sinh đã {age} khi đăng ký (quá {limit} tháng: đăng ký lại hoặc quá hạn). Không gửi thư chúc mừng.",
    "R-LATE-01": "khai tử sau {days} ngày kể từ ngày chết (quá {limit} ngày). Không gửi thư chia buồn.",
    "R-CHILDDEATH-01": "trẻ này có đăng ký khai tử trong cùng kỳ (dòng {other_row} tệp {other_file}). Không gửi thư chúc mừng.",
    "R-KIND-01": "loại đăng ký “{value}” không thuộc diện gửi thư. Không gửi thư.",
    "R-SENT-01": "đã làm thư cho đăng ký này ngày {sent_on}. Không gửi lần hai.",
    "R-FAMILY-01": "cùng mẹ và cùng ngày sinh với {other} (sinh đôi, sinh ba): gia đình đã có thư chúc mừng làm ngày {sent_on} (thư mục {folder}), không gửi thư thứ hai. Thư đó chưa nêu tên trẻ này: nếu thư chưa in, làm lại một thư chung cho các cháu bằng lệnh letters với --regenerate.",
    "R-FAMILY-02": "cùng mẹ và cùng ngày sinh với {other} (sinh đôi, sinh ba): gia đình đã có thư chúc mừng làm ngày {sent_on} (thư mục {folder}); thư đó đã chốt, đã trao cho gia đình hoặc thuộc kỳ khác nên không làm lại. Không gửi thư thứ hai: trường hợp này được tính là đã có thư (thư chung của gia đình).",
    "R-DUP-02": "trẻ này đã có {other} (cùng họ tên hoặc số định danh, cùng ngày sinh và cùng mẹ): một trẻ chỉ nhận một thư. Kiểm tra lại sổ, có thể trẻ đã được đăng ký hai lần.",
    "E-FAMILY-01": "cùng ngày sinh, cùng tên và năm sinh của mẹ với {first} và với {second}, nhưng hai dòng đó ghi số định danh của mẹ khác nhau: không rõ trẻ này là con của mẹ nào nên chưa làm thư. Ghi số định danh của mẹ vào ô này rồi chạy lại.",
    "E-FAMILY-02": "cùng số định danh của mẹ và cùng ngày sinh với {other} (sinh đôi, sinh ba) nhưng họ tên cha ghi khác nhau: chưa làm thư cho các cháu, vì một gia đình chỉ nhận một thư và thư phải ghi đúng tên cha. Sửa họ tên cha ở các dòng này cho giống nhau (hoặc sửa số định danh của mẹ nếu ghi nhầm) rồi chạy lại.",
    # warnings
    "W-ID-01": "số định danh có 11 chữ số; đã thêm số 0 ở đầu. Kiểm tra lại, và định dạng cột này là Văn bản (Text) trong Excel để không mất số 0.",
    "W-SEX-02": "không rõ giới tính người đi khai tử nên thư chia buồn gọi là “Ông/Bà”. Ghi “Nam” hoặc “Nữ” vào cột giới tính người đi khai tử (hoặc cột quan hệ: con trai, con gái, vợ, chồng…) rồi làm lại thư bằng --regenerate.",
    "W-PERIOD-03": "tiêu đề của trang ghi “từ ngày {start} đến ngày {end}” nhưng không dòng nào của trang có ngày đăng ký trong khoảng đó (tiêu đề cũ chép lại?): đã bỏ qua tiêu đề và xét theo ngày đăng ký của từng dòng. Sửa lại tiêu đề trong tệp.",
    "W-CHANGED-02": "{count} dòng đã được sửa (họ tên, ngày…) sau khi thư của dòng đó được làm; thư cũ vẫn giữ nội dung cũ: xem các dòng W-CHANGED-01 ở trang “Cảnh báo” của {file}. Nếu sửa đúng, làm lại các thư đó bằng lệnh letters với --regenerate (thư đã chốt thì không làm lại).",
    "W-SEX-03": "{count} thư chia buồn gọi người đi khai tử là “Ông/Bà” vì danh sách không ghi giới tính người đó: xem các dòng W-SEX-02 ở trang “Cảnh báo” của {file}, bổ sung giới tính rồi làm lại các thư này bằng --regenerate.",
    "W-CHANGED-01": "dòng này đã được sửa sau khi thư được làm. Nếu sửa họ tên hoặc ngày, làm lại thư bằng lệnh letters với --regenerate (thư đã chốt thì không làm lại).",
    "W-HEAD-01": "Tệp {file}, trang “{sheet}”: hai cột “{kept}” và “{dropped}” đều được hiểu là {what}; đã dùng cột “{kept}”, bỏ qua cột “{dropped}”. Kiểm tra lại thư: nếu cột “{dropped}” mới đúng, sửa tiêu đề của cột kia cho rõ (hoặc xóa cột đó) rồi làm lại thư bằng --regenerate.",
    "W-ENC-01": "Tệp {file}, trang “{sheet}”: chữ được gõ bằng bảng mã {encoding}; đã tự chuyển sang Unicode. Kiểm tra lại tên người trong thư, và lần sau lưu tệp bằng Unicode.",
    # rows read from the exports (ingest)
    "E-FILE-06": "Tệp {file}, trang “{sheet}”: không biết đây là danh sách khai sinh, kết hôn hay khai tử. Ghi tiêu đề (ví dụ “DANH SÁCH ĐĂNG KÝ KHAI SINH”) hoặc đặt tên tệp có chữ khai_sinh, ket_hon, khai_tu rồi chạy lại.",
    "W-SEX-01": "giới tính “{value}” không rõ (cần “Nam” hoặc “Nữ”); ô này được bỏ qua. Sửa lại nếu thư cần giới tính.",
    "E-REQ-02": "không có cột {columns} (bắt buộc), nên không dòng nào của trang này làm được thư. Thêm cột còn thiếu vào danh sách (hoặc sửa tiêu đề cột cho rõ, ví dụ “{example}”) rồi chạy lại.",
    "E-CELL-01": "ô dài {length} ký tự (quá {limit}); có thể nhiều ô đã bị dán vào một ô. Kiểm tra lại ô này.",
    "E-CELL-02": "ô có công thức Excel nhưng tệp không lưu kết quả của công thức (tệp do phần mềm khác tạo ra). Mở tệp bằng Excel, bấm Lưu để Excel tính lại, rồi chạy lại.",
    "E-CELL-03": "ô có lỗi Excel {value} (công thức hỏng hoặc tham chiếu sai). Sửa công thức hoặc nhập giá trị vào ô rồi chạy lại.",
    "E-TEXT-01": "ô “{value}” có ký tự hỏng “\ufffd” (một chữ bị lỗi mã khi lưu tệp); thư sẽ in sai chữ này nên chưa làm thư cho dòng này. Gõ lại chữ bị lỗi trong ô, lưu lại tệp với mã UTF-8 (Excel: Lưu thành “CSV UTF-8”) rồi chạy lại.",
    "E-NAME-02": "họ tên dài {length} ký tự (quá {limit}); có thể nhiều ô đã bị dán vào một ô. Kiểm tra lại ô này.",
    # validation rules
    "R-PERIOD-02": "ngày đăng ký {value} nằm ngoài thời gian của danh sách (từ ngày {start} đến ngày {end}). Kiểm tra lại ngày, hoặc chuyển dòng này sang danh sách đúng tháng.",
    "R-CHILDDEATH-02": "trẻ này đã có đăng ký khai tử (dòng {other_row} tệp {other_file}). Không gửi thư chúc mừng.",
    # letter templates
    "E-TPL-01": "Mẫu thư {template}: thẻ trường bị hỏng ở {where} “{snippet}” ({detail}). Mở mẫu bằng Word, gõ lại thẻ liền một mạch trong một đoạn, đúng dạng {{{{ ten_truong }}}} hoặc {{%p if … %}} … {{%p endif %}}, rồi kiểm tra lại mẫu.",
    "E-TPL-02": "Mẫu thư {template}: trường “{field}”{where} không có trong dữ liệu thư {event_title}{hint}. Sửa tên trường theo danh sách trong templates/README.md hoặc xóa trường này, rồi kiểm tra lại mẫu.",
    "E-TPL-03": "Tệp {template} không phải tệp Word .docx ({detail}). Mở tệp bằng Word, chọn Lưu thành “Word Document (*.docx)”, rồi kiểm tra lại mẫu.",
    "E-TPL-04": "Không tìm thấy mẫu thư {template}. Đặt tệp mẫu vào thư mục templates/ (hoặc chạy scripts/build_templates.py để tạo lại các mẫu mặc định).",
    "E-TPL-05": "Mẫu thư có lỗi nên chưa tạo thư nào. Sửa các lỗi sau rồi chạy lại:\n{details}",
    "E-TPL-06": "Mẫu thư {template}: tên tệp không cho biết mẫu dùng cho loại thư nào. Đặt tên tệp là một trong: {names}.",
    "E-TPL-07": "Mẫu thư {template}: {where} “{snippet}” có trường Word {field} mà chương trình không làm được ({detail}). Mở mẫu bằng Word, bấm Alt+F9 để thấy mã trường, xóa hoặc sửa trường này (trường trộn thư «…» và quy tắc If…Then…Else dùng được), bấm Alt+F9 lần nữa, lưu rồi kiểm tra lại mẫu.",
    "E-TPL-08": "Mẫu thư {template}: {where} “{snippet}” bị mất khi làm thử thư với dữ liệu mẫu (không còn chữ nào của đoạn này trong thư). Kiểm tra các thẻ quanh đoạn này (mỗi thẻ {{%p … %}} nằm riêng một dòng; {{%- … %}} nối đoạn này vào đoạn trước), sửa trong Word rồi kiểm tra lại mẫu.",
    "W-TPL-02": "Mẫu thư {template}: trường trộn thư được hiểu theo tên cột của tệp xuất: {mapping}. Kiểm tra lại; để chắc chắn, đổi tên trường trộn thư theo bảng trong templates/README.md.",
    "W-TPL-03": "Mẫu thư {template} đã được lưu bằng LibreOffice: LibreOffice bỏ các tùy chọn của trường trộn thư (\\b, \\f, \\* Upper, \\@ ngày tháng, \\# số) và làm mất điều kiện của quy tắc If…Then…Else. Xem kỹ thư làm thử; nên sửa và lưu mẫu bằng Word.",
    "E-TPL-09": "Quy tắc {key} trong units.yaml chọn mẫu “{variant}” nhưng không có tệp {where} (thư mục mẫu {folder}). Đặt tệp mẫu vào đó (làm từ mẫu chung của loại thư, sửa trong Word), hoặc sửa tên mẫu ở variant, hoặc xóa quy tắc này; rồi kiểm tra lại mẫu.",
    "W-TPL-04": "{count} thư chúc mừng chung cho nhiều trẻ (sinh đôi, sinh ba) dùng mẫu {template}; mẫu này không có trường nào cho nhiều trẻ (cac_chau, so_tre, so_tre_bang_chu, co_nhieu_tre) nên gọi các cháu là “cháu A và B”. Xem lại các thư này; nên thêm quy tắc chọn mẫu sinh đôi (letters: khai_sinh: - variant: sinh_doi, when: so_tre >= 2) và mẫu templates/khai_sinh_sinh_doi.docx.",
    "W-TPL-05": "Mẫu thư {template} còn thay đổi được theo dõi (Track Changes) hoặc ghi chú (comment); thư dùng bản đã chấp nhận mọi thay đổi và bỏ ghi chú. Nên mở mẫu bằng Word, chọn Review › Accept All Changes, xóa các ghi chú, lưu rồi kiểm tra lại mẫu.",
    "W-TPL-06": "Thư mục mẫu {template} không phải mã đơn vị nào nên các mẫu trong đó không được dùng (thư dùng mẫu chung).{hint} Các đơn vị có trong units.yaml: {known}. Đổi tên thư mục cho đúng mã đơn vị rồi kiểm tra lại mẫu.",
    "W-TPL-07": "Tệp mẫu {template} không được dùng vì tên tệp chưa đúng (chữ hoa, chữ thường hoặc đuôi tệp lặp lại); thư dùng: {used}. Đổi tên tệp thành {expected} rồi kiểm tra lại mẫu.",
    "W-TPL-01": "Mẫu thư {template}: thư chia buồn có “{word}” ở {where} “{snippet}”. Thư chia buồn không dùng lời chúc, chữ “vui” hay dấu chấm than; nên sửa lại câu này.",
    # the ledger and purge
    "E-LEDGER-01": "Không mở được sổ theo dõi thư {path} ({detail}). Kiểm tra quyền đọc, ghi tệp sổ và thư mục chứa nó rồi chạy lại.",
    "E-LEDGER-02": "Sổ theo dõi thư {path} do phiên bản hcpvnd mới hơn tạo (lược đồ {found}, phiên bản này chỉ đọc được đến {known}). Cập nhật hcpvnd rồi chạy lại.",
    "E-LEDGER-03": "Đơn vị {unit} đang được chạy (lần chạy số {run_id}, bắt đầu lúc {started}, tiến trình {pid} trên máy {host}). Chờ lần chạy đó xong rồi chạy lại.",
    "E-LEDGER-04": "Không ghi được vào sổ theo dõi thư {path} ({detail}). Kiểm tra ổ đĩa còn chỗ trống và quyền ghi, rồi chạy lại: các thư đã ghi sổ không bị làm lại.",
    "I-LEDGER-03": " Lưu ý: có sổ theo dõi đã ghi thư ở {found}. Nếu gõ nhầm tên tệp sổ, dùng đúng tệp đó với --ledger (hoặc bỏ --ledger để dùng sổ mặc định); đừng dựng sổ thứ hai.",
    "E-LEDGER-05": "Sổ theo dõi thư {path} {state}, nhưng thư mục {outputs} đã có {count} thư làm từ trước. Làm thư với sổ này sẽ làm lại thư cho những gia đình đã nhận, nên chưa làm gì. Chép lại tệp sổ từ bản sao lưu vào {path}; nếu không có bản sao, dựng lại sổ từ các thư trên đĩa: hcpvnd ledger rebuild{args}, rồi chạy lại.{nearby}",
    "E-LEDGER-06": "Sổ theo dõi thư {path} bị hỏng ({detail}). Chưa làm gì, và không tạo sổ mới thay cho sổ này (sổ mới sẽ làm lại mọi thư đã gửi). Chép lại tệp sổ từ bản sao lưu; nếu không có, đổi tên tệp hỏng (ví dụ thành ledger.hong.sqlite) rồi dựng lại sổ từ các thư trên đĩa: hcpvnd ledger rebuild{args}.",
    "E-LEDGER-07": "Đã có sổ theo dõi thư {path} ghi {count} thư: không dựng lại đè lên sổ này. Để dựng lại, đổi tên tệp sổ (ví dụ thành ledger.cu.sqlite) rồi chạy lại lệnh.",
    "E-LEDGER-08": "Sổ theo dõi thư {path} không biết {count} thư đã làm cho {unit} trong thư mục {outputs} ({detail}): có thể đây là sổ của đơn vị hoặc huyện khác, hoặc một bản sao lưu cũ hơn các thư này. Làm thư với sổ này sẽ làm lại thư cho những gia đình đã nhận và xóa các tệp thư đó, nên chưa làm gì và không xóa tệp nào. Chạy lại với --ledger chỉ đúng sổ của thư mục này (sổ mặc định: {default}); nếu đó là bản sao lưu cũ, chép bản mới nhất vào. Nếu không còn sổ đúng, dựng lại sổ từ các thư trên đĩa: đổi tên tệp {default} nếu có (ví dụ thành ledger.cu.sqlite) rồi chạy hcpvnd ledger rebuild{args}.",
    "W-LEDGER-01": "Thư mục {folder}: sổ theo dõi ghi một tệp thư cho {count} đăng ký {event_title} (số {numbers}): phiên bản cũ của hcpvnd đã ghi thư làm sau đè lên thư làm trước. Tệp in vẫn có đủ các thư; để có lại tệp thư riêng của từng gia đình, chạy: hcpvnd letters --unit {unit} --period {period_arg} --regenerate",
    "W-PRINT-01": "{count} thư {event_title} trong thư mục {folder} đã làm nhưng chưa có trong tệp in {print_file} (lần chạy làm các thư này bị dừng trước khi làm tệp in). Để làm lại tệp in, chạy: hcpvnd letters --unit {unit} --period {period_arg}",
    "W-PRINT-02": "thư chung cho {count} trường hợp (sinh đôi, sinh ba) của đăng ký này không được làm lại trong tệp in: danh sách lần này chỉ có {present} trong {count} trường hợp của thư. Thư vẫn ở thư mục letters/ như đã làm; in từ tệp thư đó nếu cần.",
    "I-LEDGER-01": "Đã dựng lại sổ theo dõi thư {path}: {letters} thư của {units} đơn vị (trạng thái “đã làm”: chạy hcpvnd finalize cho các kỳ đã in và gửi).",
    "W-LEDGER-02": "{count} tệp thư trong thư mục {folder} không khớp dòng nào của danh sách đăng ký hiện có nên chưa ghi vào sổ. Đặt lại danh sách đã dùng để làm các thư này vào inputs/ rồi dựng lại sổ; nếu không, lần làm thư tới sẽ xóa các tệp này.",
    "E-PURGE-01": "Ngày “{value}” không hợp lệ. Viết ngày dạng 2024-10-01 hoặc 01/10/2024.",
    "E-PURGE-02": "Không thấy sổ theo dõi thư {path}. Chỉ rõ sổ bằng --ledger (sổ ghi lại các thư đã gửi; không có sổ thì không xóa gì).",
    # notebook runs and batches
    "E-NB-01": "Sổ tay {notebook} dừng ở ô số {cell} (“{source}”) do lỗi {ename}. Mở bản đã chạy {executed} để xem chi tiết, sửa rồi chạy lại.",
    "E-NB-02": "Nhân Python (kernel) chạy sổ tay {notebook} bị dừng đột ngột ở ô số {cell} (“{source}”), có thể do thiếu bộ nhớ. Xem nhật ký {log} rồi chạy lại.",
    "E-NB-03": "Ô số {cell} (“{source}”) của sổ tay {notebook} chạy quá {timeout} giây nên đã bị dừng. Kiểm tra dữ liệu vào của đơn vị này rồi chạy lại.",
    "E-NB-04": "Không khởi động được nhân Python (kernel) trong {timeout} giây. Xem nhật ký {log}, kiểm tra máy còn đủ bộ nhớ rồi chạy lại.",
    "E-NB-05": "Không đọc được sổ tay {notebook} ({detail}). Lấy lại tệp sổ tay từ bản gốc của dự án rồi chạy lại.",
    "E-NB-06": "Không chạy được sổ tay {notebook} (lỗi {detail}). Xem nhật ký {log} rồi chạy lại.",
    "E-NB-07": "Lần chạy bị dừng giữa chừng (bấm Ctrl-C hoặc tiến trình bị tắt). Chạy lại; thư đã làm xong không bị làm lần hai.",
    "E-NB-08": "Không ghi được vào thư mục kết quả {folder} ({detail}). Kiểm tra quyền ghi và chỗ trống trên đĩa rồi chạy lại.",
    "E-NB-11": "Sổ tay làm thư chưa có {missing} (ô tham số đang để trống) nên chưa làm thư nào. Ghi {missing} vào ô tham số rồi chạy lại; khi chạy bằng papermill, kiểm tra tên tham số: -p unit phuoc-quang -p period 2024-09 (viết sai tên thì papermill chỉ cảnh báo “Passed unknown parameter”).",
    "E-NB-12": "Sổ tay này không có tham số “{name}”: có phải “{close}”? Chưa đọc, chưa ghi gì. Sửa tên tham số (papermill: -p {close} …) rồi chạy lại; các tham số của sổ tay: {known}.",
    "E-NB-13": "Sổ tay này không có tham số “{name}”. Chưa đọc, chưa ghi gì. Bỏ tham số đó hoặc sửa tên cho đúng rồi chạy lại; các tham số của sổ tay: {known}.",
    "E-NB-10": "Một lần chạy khác đang dùng thư mục {folder} (cửa sổ lệnh khác, JupyterLab hoặc đợt chạy hàng loạt). Chờ lần chạy đó xong rồi chạy lại; không có gì bị thay đổi.",
    "E-NB-09": "“{unit}” không phải mã đơn vị (chỉ gồm chữ thường không dấu, số và dấu gạch ngang). Dùng mã có trong tệp units.yaml.",
    "I-BATCH-01": "{name} chưa gửi thư trong kỳ {label} ({since}). Bỏ qua.",
    "E-BATCH-02": "Đợt chạy bị dừng trước khi đơn vị {unit} chạy xong. Chạy lại với --rerun-failed.",
    "E-BATCH-03": "Tiến trình chạy đơn vị {unit} bị dừng đột ngột (có thể do thiếu bộ nhớ). Xem nhật ký {log} rồi chạy lại với --rerun-failed.",
    "E-BATCH-04": "Lỗi trong chương trình khi chạy đơn vị {unit} ({detail}). Chạy lại với --rerun-failed; nếu vẫn lỗi, gửi tệp {log} cho người phụ trách kỹ thuật.",
    "E-BATCH-01": "Chưa có kết quả chạy hàng loạt cho kỳ {label} (không thấy tệp {path}). Chạy lệnh hcpvnd batch cho kỳ này một lần, không kèm --rerun-failed.",
    "E-BATCH-05": "Tệp {path} hỏng, không đọc được ({detail}). Xóa tệp này rồi chạy lại cả kỳ (không kèm --rerun-failed).",
    "E-BATCH-06": "Không ghi được tệp {path} ({detail}). Kiểm tra quyền ghi và chỗ trống trên đĩa rồi chạy lại.",
    "I-REPORT-04": "Lần chạy này không lập báo cáo {what} kỳ {period}: chưa có kết quả làm thư kỳ này của {count} đơn vị ({names}) nên báo cáo sẽ thiếu số liệu. Làm thư cho các đơn vị còn thiếu (hcpvnd batch --period {period_arg} --units {keys}) thì báo cáo được lập lại; muốn lập ngay với số liệu đang có: hcpvnd report --period {period_arg}{unit_arg}.",
    # reports
    "E-REPORT-01": "Tệp cấu hình {path} không có cấp huyện (mục district) nên không có báo cáo tổng hợp. Lập báo cáo cho từng xã bằng --unit (các đơn vị: {known}).",
    "W-REPORT-04": "Chưa có sổ theo dõi thư {path}: chưa đơn vị nào làm thư, mọi số thư trong báo cáo là 0. Làm thư cho các đơn vị (hcpvnd batch) trước khi lập báo cáo.",
    "W-REPORT-05": "Chưa có kết quả làm thư đúng kỳ này (summary.json) của: {units}. Báo cáo không có số trường hợp đăng ký của các đơn vị này; số thư vẫn lấy từ sổ theo dõi thư. Muốn có đủ số liệu: chạy “{command}” ({what}; thư đã làm không làm lại) rồi lập lại báo cáo.",
    "W-REPORT-07": "Đến hết kỳ {period}, chưa đơn vị nào bắt đầu gửi thư (sớm nhất là {unit}, từ ngày {day}): mọi số liệu của báo cáo là 0. Kiểm tra lại kỳ báo cáo (--period).",
    "W-REPORT-06": "Kỳ báo cáo nằm ngoài thời gian áp dụng của tệp đơn vị {path} ({start} – {end}). Kiểm tra lại thư mục dữ liệu (--inputs).",
    "I-REPORT-05": "Bản dự thảo còn {count} phần “[Phần này do chuyên viên viết: …]” chưa viết. Viết các phần này vào tệp nhận định (hcpvnd narrative new tạo tệp nếu chưa có) rồi lập lại báo cáo: còn phần chưa viết thì lãnh đạo chưa duyệt được (E-APPROVE-02).",
    "E-REPORT-05": "Không có tệp nhận định {path} (--narrative).{hint} Kiểm tra tên và đuôi tệp (.docx hoặc .yaml), hoặc bỏ --narrative để dùng tệp của kỳ trong inputs/narratives/.",
    "E-REPORT-02": "Tệp nhận định {path}: {detail}. Sửa tệp (lưu dạng UTF-8) rồi chạy lại.",
    "I-REPORT-02": "Chưa có tệp nhận định {path}: các phần đánh giá, nhiệm vụ, đề xuất để chỗ “[Phần này do chuyên viên viết: …]”. Tạo tệp Word để viết các phần này: {command}.",
    "W-REPORT-02": "Bản dự thảo {file} đã được sửa bằng tay sau khi lập; đã giữ lại bản đó ở {kept} trước khi lập bản dự thảo mới.",
    "I-REPORT-03": 'Đã lập bản dự thảo báo cáo {what} kỳ {period}: {file}. Xem lại rồi duyệt: hcpvnd approve --period {period_arg}{unit_arg} --by "<họ tên người duyệt>".',
    # the analyst's frames (notes on their sources, shown under each table; nothing stops)
    "W-FRAMES-01": "Chưa có kết quả làm thư kỳ {period} (summary.json) của: {units}. Bảng đăng ký không có các đơn vị này và số trường hợp đăng ký để trống; làm thư cho kỳ này trước (hcpvnd batch --period {period_arg}).",
    "W-FRAMES-02": "Tệp {path} không dùng được ({detail}) nên bỏ qua kết quả làm thư của {unit}. Chạy lại “hcpvnd letters --unit {key} --period {period_arg}” để ghi lại tệp (thư đã làm không bị làm lại).",
    "W-FRAMES-03": "Chưa có sổ theo dõi thư {path}: chưa có thư nào. Xem số liệu không tạo ra sổ mới.",
    "W-FRAMES-05": "Kết quả làm thư kỳ {period} của {units} do phiên bản trước của hcpvnd ghi (summary.json): các dòng này chưa có quyển số, ngày sự kiện, dòng nguồn của thư nên các ô đó để trống; các số đếm vẫn đúng. Lần làm thư sau của kỳ này sẽ ghi đủ.",
    "W-FRAMES-06": "{count} thư trong sổ theo dõi thư {path} thuộc đơn vị không có trong tệp đơn vị {units_file} nên không được tính. Kiểm tra lại thư mục dữ liệu (inputs).",
    "W-FRAMES-07": "Tệp {path} liệt kê {listed} dòng nhưng đếm {counted} dòng: tệp có thể đã bị sửa tay. Chạy lại “hcpvnd letters --unit {key} --period {period_arg}” để ghi lại tệp.",
    "W-FRAMES-10": "Bảng đăng ký thiếu {missing} trong {counted} dòng mà lần làm thư của {unit} đã đọc ({detail}): tệp {path} chỉ liệt kê {limit} dòng đầu không gửi thư, và không có tệp {rows_file} ghi mọi dòng (lần làm thư do phiên bản trước của hcpvnd chạy, hoặc tệp đã bị xóa). Các dòng này vẫn được tính trong các số đếm và có đủ trong {rejected} (trang “Không gửi thư”). Để bảng có đủ mọi dòng, chạy lại “hcpvnd letters --unit {key} --period {period_arg}” (thư đã làm không bị làm lại).",
    "W-FRAMES-11": "Bảng đăng ký thiếu {missing} trong {counted} dòng mà lần làm thư của {unit} đã đọc ({detail}): tệp {rows_file} ghi mọi dòng không dùng được ({reason}), nên chỉ có các dòng mà {path} liệt kê. Các dòng này vẫn được tính trong các số đếm và có đủ trong {rejected} (trang “Không gửi thư”). Để bảng có đủ mọi dòng, chạy lại “hcpvnd letters --unit {key} --period {period_arg}” (thư đã làm không bị làm lại).",
    "W-FRAMES-08": "Danh sách đăng ký của {unit} đã thay đổi sau lần làm thư: {count} dòng không còn khớp (dòng bị xóa, chèn hoặc đổi số đăng ký) nên để trống họ tên.",
    "W-FRAMES-09": "Kỳ {period} nằm ngoài thời gian áp dụng của tệp đơn vị {path} ({start} – {end}). Kiểm tra lại thư mục dữ liệu (inputs).",
    "I-FRAMES-01": "Sổ theo dõi thư {path} chưa có thư nào cho các trường hợp đăng ký {period}.",
    # the analyst's narrative and annexes (Word)
    "E-NARR-01": "Có {count} tệp nhận định cho cùng một báo cáo: {files}. Mỗi báo cáo chỉ dùng một tệp: giữ tệp Word (.docx) đang viết, xóa các tệp còn lại (hoặc chuyển ra khỏi thư mục narratives) rồi chạy lại.",
    "E-NARR-02": "Tệp {file} không mở được như văn bản Word .docx ({detail}). Mở tệp bằng Word hoặc LibreOffice, lưu lại dạng Word (.docx) rồi chạy lại.",
    "E-NARR-03": "Tệp {file} được đặt mật khẩu nên chương trình không đọc được. Mở tệp bằng Word, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ tài liệu > Mã hóa bằng mật khẩu, xóa mật khẩu rồi bấm OK), lưu lại rồi chạy lại.",
    "E-NARR-04": "Tệp {file} còn {count} chỗ sửa đang theo dõi (Track Changes) chưa chấp nhận ({where}). Báo cáo trình ký không được mang các dấu sửa này. Mở tệp bằng Word: Xem lại (Review) > Chấp nhận (Accept) > Chấp nhận mọi thay đổi (Accept All Changes), tắt Theo dõi thay đổi, lưu lại rồi chạy lại.",
    "E-NARR-05": "Tệp {file} còn {count} ghi chú (Comment) ({where}). Báo cáo trình ký không được mang ghi chú. Mở tệp bằng Word: Xem lại (Review) > Xóa (Delete) > Xóa mọi ghi chú trong tài liệu (Delete All Comments), lưu lại rồi chạy lại.",
    "E-NARR-06": "Tệp {file} là dạng {kind}; chương trình đọc văn bản Word .docx. Mở tệp bằng Word hoặc LibreOffice, chọn Lưu thành (Save As) dạng Word (.docx) rồi chạy lại; hoặc cài LibreOffice (trên Debian/Ubuntu: make pdf-tools) để chương trình tự chuyển.",
    "E-NARR-07": "LibreOffice không chuyển được tệp {file} sang dạng .docx ({detail}). Mở tệp bằng Word hoặc LibreOffice, lưu lại dạng Word (.docx) rồi chạy lại.",
    "E-NARR-08": "Tệp {file} nặng {size} MB, quá {limit} MB cho một văn bản báo cáo (thường do ảnh chụp chưa nén). Nén ảnh rồi lưu lại: trong Word chọn một ảnh > Định dạng ảnh (Picture Format) > Nén ảnh (Compress Pictures), bỏ chọn “Chỉ áp dụng cho ảnh này”, chọn độ phân giải 150 ppi; rồi chạy lại.",
    "E-NARR-09": "Tệp {file}, bảng “Thông tin văn bản”, dòng “{row_title}”: “{text}” không phải ngày. Ghi ngày dạng ngày/tháng/năm (ví dụ 05/6/2024) hoặc để trống, rồi chạy lại.",
    "E-NARR-10": "Không ghép được phần “{title}” của tệp {file} vào báo cáo ({detail}). Mở tệp bằng Word, lưu lại dạng Word (.docx) rồi chạy lại; nếu vẫn lỗi, chép nội dung phần đó sang một tệp mới (hcpvnd narrative new sau khi đổi tên tệp cũ).",
    "W-NARR-01": "Tệp nhận định {file}: không thấy đề mục {titles} (có thể đã bị đổi tên hoặc xóa). Báo cáo để chỗ “[Phần này do chuyên viên viết: …]” ở {count} phần này và chưa duyệt được. Gõ lại đúng đề mục như tệp mẫu, kiểu đề mục Heading 1 (Đề mục 1), rồi viết nội dung bên dưới.",
    "W-NARR-02": "Tệp nhận định {file}: đề mục “{title}” không có chỗ trong báo cáo; nội dung của nó được đặt ở cuối phần III. ĐÁNH GIÁ CHUNG, thành mục {number}. Nếu đây là một phần có sẵn bị đổi tên, gõ lại đúng đề mục; nếu nội dung thuộc một phần khác, chép vào dưới đề mục của phần đó.",
    "W-NARR-03": "Tệp nhận định {file}: đề mục “{title}” có {count} lần; nội dung dưới các đề mục này được ghép lại theo thứ tự. Xóa đề mục thừa nếu không muốn vậy.",
    "W-NARR-04": "Tệp nhận định {file}: có nội dung viết trước đề mục đầu tiên hoặc trong phần “Thông tin văn bản” ({count} đoạn, bắt đầu bằng “{start}”); phần đó không được đưa vào báo cáo. Chép nội dung vào dưới đề mục của phần cần viết rồi chạy lại.",
    "W-NARR-05": "Tệp {file} trong thư mục phụ lục không phải văn bản Word (.docx, .doc, .odt, .rtf) nên không được đưa vào báo cáo. Lưu phụ lục dạng Word .docx, tên bắt đầu bằng phu_luc_.",
    "W-NARR-06": "Chưa có báo cáo đã duyệt của {count} đơn vị ({names}) nên không kèm vào phụ lục. Lập và duyệt báo cáo của đơn vị (hcpvnd report --period {period_arg} --unit <mã đơn vị>, rồi hcpvnd approve) rồi chạy lại.",
    "I-NARR-01": "Đã tạo tệp nhận định {path}. Mở tệp bằng Word hoặc LibreOffice, viết từng phần ngay dưới đề mục của phần đó (được dùng chữ đậm, nghiêng, danh sách, bảng, chú thích cuối trang, hình ảnh), lưu lại rồi lập báo cáo: hcpvnd report --period {period_arg}{unit_arg}{inputs_arg}.",
    "I-NARR-02": "Đã có tệp nhận định {path}; chương trình không ghi đè. Mở tệp đó để viết tiếp; muốn làm lại từ đầu thì đổi tên hoặc xóa tệp rồi chạy lại lệnh này.",
    "I-NARR-03": "Nội dung của tệp {yaml} đã được chép vào tệp Word. Xóa tệp {yaml} (hoặc chuyển ra khỏi thư mục narratives) để báo cáo dùng tệp Word: khi có cả hai tệp, báo cáo dừng lại.",
    "I-NARR-04": "Báo cáo của {what} không có báo cáo của đơn vị cấp dưới để kèm vào phụ lục (--annex-unit-reports chỉ dùng cho báo cáo tổng hợp của huyện).",
    "I-NARR-05": "Tệp {file} (dạng {kind}) được chuyển sang .docx bằng LibreOffice để đọc. Nên lưu tệp dạng Word .docx.",
    # review and approval
    "E-APPROVE-01": "Chưa có bản dự thảo báo cáo {what} kỳ {period} trong {folder}. Chạy “hcpvnd report --period {period_arg}{unit_arg}” trước, xem lại bản dự thảo rồi mới duyệt.",
    "E-APPROVE-02": "Bản dự thảo {file} còn {count} chỗ “[Phần này do chuyên viên viết: …]” chưa viết nên chưa duyệt được. Viết các phần này vào tệp nhận định rồi chạy lại báo cáo (hoặc sửa thẳng trong bản dự thảo bằng Word), sau đó duyệt lại.",
    "E-APPROVE-03": 'Chưa ghi tên người duyệt. Ghi họ tên đầy đủ, ví dụ --by "Lê Minh Khang".',
    "E-APPROVE-04": "Bản dự thảo {file} được lập khi số liệu chưa đủ:\n{warnings}\nLàm đủ số liệu rồi lập lại báo cáo (“hcpvnd report --period {period_arg}{unit_arg}”) trước khi duyệt. Nếu lãnh đạo vẫn duyệt với số liệu này, thêm --accept-warnings: điều này được ghi vào bản ghi duyệt.",
    "E-APPROVE-05": "Bản dự thảo {file} vẫn còn chữ “DỰ THẢO” gõ trong nội dung (ngoài dấu dự thảo do chương trình đặt ở đầu trang), nên bản chính thức sẽ mang chữ này. Mở bản dự thảo bằng Word, xóa chữ “DỰ THẢO” trong nội dung rồi duyệt lại.",
    "E-APPROVE-06": "Bản chính thức {file} đã bị sửa sau khi duyệt (mã kiểm tra sha256 không khớp với bản ghi duyệt {record}), nên không xác nhận lại là đã duyệt. Nếu cần sửa nội dung, sửa tệp nhận định (hoặc bản dự thảo) rồi lập lại báo cáo và duyệt lại; nếu bản chính thức bị sửa nhầm, xóa tệp đó rồi chạy lại lệnh duyệt để làm lại bản chính thức từ bản dự thảo đã duyệt.",
    "E-APPROVE-07": "Tệp bản ghi duyệt {path} bị hỏng ({detail}), nên không đọc được ai đã duyệt và khi nào. Chưa làm gì, và không ghi đè tệp này (để không mất lịch sử duyệt). Khôi phục tệp từ bản sao lưu, hoặc sửa lại cho đúng dạng JSON, rồi chạy lại.",
    "E-APPROVE-08": '“{by}” không phải họ tên của người duyệt (chữ mẫu trong hướng dẫn, hoặc có chữ số, ký hiệu, chỉ một chữ): chưa duyệt. Bản ghi duyệt giữ tên này mãi, nên ghi họ tên đầy đủ của lãnh đạo duyệt báo cáo, ví dụ --by "Lê Minh Khang".',
    "I-APPROVE-01": "Đã duyệt báo cáo {what} kỳ {period}: {by}, lúc {at}. Bản chính thức (không còn dấu DỰ THẢO): {file}.",
    "I-APPROVE-03": "Bản ghi duyệt ghi rõ báo cáo được duyệt khi số liệu chưa đủ ({count} cảnh báo, xem {record}).",
    "I-APPROVE-02": "Bản dự thảo này đã được {by} duyệt lúc {at}; bản chính thức: {file}.",
    "I-REPORT-01": "Báo cáo {what} kỳ {period} đã được {by} duyệt lúc {at}. Số liệu và nội dung nhận định không thay đổi nên giữ nguyên bản đã duyệt: {file}.",
    "W-REPORT-01": 'Báo cáo {what} kỳ {period} đã được {by} duyệt lúc {at}, nhưng {changed} đã thay đổi sau khi duyệt. Bản đã duyệt được giữ nguyên, không bị ghi đè ({file}); bản dự thảo mới theo số liệu hiện tại: {draft}. Xem lại bản dự thảo mới rồi duyệt lại: hcpvnd approve --period {period_arg}{unit_arg} --by "<họ tên người duyệt>".',
    "W-REPORT-03": "Tệp báo cáo đã duyệt {file} đã bị sửa sau khi duyệt (mã kiểm tra sha256 không khớp với bản ghi duyệt). Kiểm tra lại trước khi ban hành.",
    # delivery: the delivery sheet (so_giao_thu.xlsx) filled in and imported
    "E-DELIV-01": "Tệp {file}: không đọc được ({detail}). Không nhập gì từ tệp này. Mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng Sổ làm việc Excel (.xlsx), không đặt mật khẩu, rồi nhập lại.",
    "E-DELIV-02": "Tệp {file} không phải sổ giao thư do hcpvnd làm ({detail}). Không nhập gì từ tệp này. Điền vào tệp so_giao_thu.xlsx trong thư mục kết quả của xã và kỳ (outputs/<kỳ>/<mã xã>/); nếu đã điền vào tệp khác, chép các ô đã điền sang tệp đó rồi nhập lại.",
    "E-DELIV-03": "Tệp {file} là sổ giao thư của {unit}, không phải của đơn vị đã chọn ({wanted}). Không nhập gì từ tệp này. Kiểm tra lại tệp, hoặc bỏ --unit.",
    "E-DELIV-04": "Tệp {file} là sổ giao thư {period}, không phải của kỳ đã chọn ({wanted}). Không nhập gì từ tệp này. Kiểm tra lại tệp, hoặc bỏ --period.",
    "E-DELIV-05": "Tệp {file}, trang “{sheet}”: không còn dòng thư nào (các dòng đã bị xóa). Không nhập gì từ tệp này. Dùng lại tệp so_giao_thu.xlsx do lệnh làm thư ghi (chạy lại hcpvnd letters cho xã và kỳ nếu tệp đã mất), điền rồi nhập lại.",
    "E-DELIV-06": "Tệp {file}, trang “{sheet}”: không thấy cột {columns} (dòng tiêu đề đã bị sửa hoặc cột đã bị xóa). Không nhập gì từ tệp này. Gõ lại đúng tiêu đề cột như tệp gốc, hoặc chép các ô đã điền sang tệp so_giao_thu.xlsx gốc rồi nhập lại.",
    "E-DELIV-07": "Tệp {file} là sổ giao thư của đơn vị {unit} (hệ mã {scheme}, mã {unit_code}) mà tệp đơn vị {path} không có. Không nhập gì từ tệp này. Chọn đúng thư mục dữ liệu bằng --inputs (ví dụ --inputs inputs/gia-lai-2025 cho các xã từ 01/7/2025).",
    "E-DELIV-08": "Tệp {file}: {detail}. Không nhập gì từ tệp này. Mở tệp bằng Excel, chép riêng các ô đã điền sang tệp so_giao_thu.xlsx gốc, lưu rồi nhập lại.",
    "E-DELIV-09": "Không có tệp {file}. Kiểm tra tên tệp và thư mục (sổ giao thư của mỗi xã nằm ở outputs/<kỳ>/<mã xã>/so_giao_thu.xlsx).",
    "E-DELIV-10": "dòng này có điền việc trao thư nhưng không có mã thư. Điền vào đúng dòng của thư đó (mã thư in sẵn ở cột “Mã thư”), hoặc chép lại mã thư vào dòng này, rồi nhập lại.",
    "E-DELIV-11": "mã thư “{value}” không có trong sổ theo dõi thư (gõ nhầm, hoặc dòng chép từ sổ khác). Sửa lại đúng mã thư in sẵn rồi nhập lại.",
    "E-DELIV-12": "thư {reference} là thư của {other}, không phải của {unit}. Không ghi dòng này; điền việc trao thư này vào sổ giao thư của {other} rồi nhập tệp đó.",
    "E-DELIV-13": "thư {reference} đã được dọn khỏi máy (hcpvnd purge): sổ theo dõi chỉ còn số đếm của thư này nên không ghi thêm việc trao thư. Bỏ dòng này.",
    "E-DELIV-14": "chưa có ngày trao thư. Ghi ngày trao (ngày/tháng/năm, ví dụ 05/3/2024); nếu thư chưa được trao, xóa các ô đã điền ở dòng này; rồi nhập lại.",
    "E-DELIV-15": "“{value}” không phải ngày. Ghi ngày trao theo dạng ngày/tháng/năm (ví dụ 05/3/2024) rồi nhập lại.",
    "E-DELIV-16": "ngày trao {handed} trước ngày làm thư {made}. Kiểm tra lại ngày trao (ngày, tháng, năm) rồi nhập lại.",
    "E-DELIV-17": "ngày trao {handed} ở tương lai (sau hôm nay, {today}). Kiểm tra lại ngày trao rồi nhập lại.",
    "E-DELIV-18": "“{value}” không có trong danh sách {what}. Chọn một trong: {choices} (bấm vào ô, chọn ở mũi tên bên phải), rồi nhập lại.",
    "E-DELIV-19": "ô có công thức Excel. Ghi ngày hoặc chọn trong danh sách, không dùng công thức, rồi nhập lại.",
    "E-DELIV-20": "thư {reference} có ở {count} dòng ({rows}) với nội dung khác nhau nên chưa ghi dòng nào. Giữ một dòng cho mỗi thư rồi nhập lại.",
    "E-DELIV-21": "tệp này lưu lúc {saved}, trước bản đã nhập cho thư {reference} (tệp {other_file}, lưu lúc {other_saved}): sổ theo dõi không ghi đè bằng bản cũ hơn. Nếu tệp này mới là bản đúng, mở tệp bằng Excel, bấm Lưu, rồi nhập lại.",
    "E-DELIV-22": "ghi chú dài {length} ký tự (quá {limit}); có thể đã dán nhầm cả đoạn. Rút gọn ghi chú rồi nhập lại.",
    "E-DELIV-23": "Không thấy sổ theo dõi thư {path}. Chỉ rõ sổ bằng --ledger (sổ ghi các thư đã làm; không có sổ thì không ghi được việc trao thư).",
    "E-DELIV-24": "Tệp {file} nằm trong thư mục kết quả {folder}, thư mục này có sổ theo dõi thư riêng; lệnh đang ghi vào sổ theo dõi {ledger}. Không nhập gì từ tệp này. Nhập lại với --outputs {folder} (thư được làm ở thư mục đó).",
    "I-DELIV-01": "Tệp {file} ({unit}, {period}): {rows} dòng thư: {recorded} dòng ghi mới hoặc sửa, {unchanged} dòng không đổi ({waiting} dòng chưa điền ngày trao), {rejected} dòng bị loại.",
    "I-DELIV-02": "{unit}: {count} thư chưa trao sau {days} ngày kể từ ngày làm thư (mã thư, số ngày đã chờ):",
    "W-DELIV-01": "Sổ giao thư {file} không đọc được ({detail}) nên đã được giữ lại ở {kept}; sổ giao thư mới được làm lại. Chép các ô đã điền ở sổ cũ sang sổ mới rồi nhập (hcpvnd delivery import).",
    "W-DELIV-02": "Sổ giao thư cũ không đọc được nên đã được giữ lại và làm sổ mới: xem dòng W-DELIV-01 ở trang “Cảnh báo” của {file}.",
    # a bug of ours: the details go to a log file, never to the console
    "E-BUG-01": "Lỗi chương trình. Gửi tệp {log} cho bộ phận kỹ thuật.",
    "E-BUG-02": "Lỗi chương trình ({kind}); không ghi được tệp nhật ký lỗi ({reason}). Chạy lại lệnh; nếu vẫn lỗi, báo cho bộ phận kỹ thuật kèm lệnh đã chạy.",
    # files on disk, PDF previews
    "E-OS-01": "Không ghi/đọc được {where}: {reason}. Giải phóng chỗ trống hoặc kiểm tra quyền ghi thư mục kết quả, rồi chạy lại: các thư đã làm không bị làm lại.",
    "I-PDF-01": "Thư mục {folder} không có tệp in nào nên không có gì để xem trước PDF: thư của kỳ này do lần làm thư trước làm, ở thư mục nêu trên; thêm --pdf vào lệnh letters với --period là tên thư mục kỳ đó (tên thư mục kỳ viết được như một kỳ).",
    "W-PDF-01": "Không tìm thấy LibreOffice nên không làm bản xem trước PDF (các tệp .docx vẫn đầy đủ). Cài LibreOffice: trên Debian/Ubuntu chạy “make pdf-tools” trong thư mục dự án (tức là “sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 poppler-utils”); trên Windows tải và cài từ https://www.libreoffice.org/download/ rồi chạy lại.",
    "W-PDF-02": "Phông “Times New Roman” trên máy này được thay bằng “{found}”, không phải “Liberation Serif”: bản PDF có thể lệch dòng hoặc thiếu dấu (Ơ, Ư). Cài gói fonts-liberation2 (sudo apt-get install fonts-liberation2) rồi chạy lại.",
    "W-PDF-03": "LibreOffice không chuyển được tệp {file} sang PDF ({detail}). Mở tệp bằng Word để kiểm tra; bản .docx vẫn dùng được.",
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def outline(code: str) -> str:
    """What a code says, every field shown as "…" (no file, no cell): for a table of codes."""
    return CATALOG[code].format_map(_Blank())


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
