"""What the staff commands say, in Vietnamese (the default) and English.

`--lang en` or `OCOP_LANG=en` switches to English. Messages are looked up by key and
filled with named values, so the pure modules (decisions, report) return codes and
values and never choose words. Validation messages of the record reader
(`ocop.records`) are in English in both modes: the Vietnamese text introduces them.
"""
from __future__ import annotations

import os

LANGS = ("vi", "en")
_lang = "vi"


def set_lang(lang: str | None) -> str:
    global _lang
    chosen = (lang or os.environ.get("OCOP_LANG") or "vi").strip().lower()[:2]
    _lang = chosen if chosen in LANGS else "vi"
    return _lang


def lang() -> str:
    return _lang


def t(_key: str, **kw) -> str:
    entry = MESSAGES[_key]
    return entry[_lang].format(**kw) if kw else entry[_lang]


def where(row: int | None, column: str | None) -> str:
    if row and column:
        return t("at_row_column", row=row, column=column)
    if row:
        return t("at_row", row=row)
    if column:
        return t("at_column", column=column)
    return ""


MESSAGES: dict[str, dict[str, str]] = {
    # --- where ---
    "at_row_column": {"vi": "Dòng {row}, cột {column}: ", "en": "Row {row}, column {column}: "},
    "at_row": {"vi": "Dòng {row}: ", "en": "Row {row}: "},
    "at_column": {"vi": "Cột {column}: ", "en": "Column {column}: "},
    # --- reading a table ---
    "file_missing": {"vi": "Không tìm thấy tệp {file}.", "en": "The file {file} was not found."},
    "file_empty": {"vi": "Tệp {file} trống: không có dòng nào. Cần một bảng có dòng tiêu đề (STT, Tên sản phẩm, Tên chủ thể, Hạng sao, Số quyết định, Ngày) và các dòng sản phẩm.",
                   "en": "The file {file} is empty: it has no rows. Expected a table with a header row (STT, Tên sản phẩm, Tên chủ thể, Hạng sao, Số quyết định, Ngày) and product rows."},
    "file_protected": {"vi": "Tệp {file}: bảng tính được đặt mật khẩu hoặc không phải tệp .xlsx (có thể là tệp .xls cũ). Mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) và lưu lại dạng .xlsx hoặc CSV UTF-8.",
                       "en": "{file}: the workbook is password-protected or not an .xlsx file (it may be an old .xls). Open it in Excel, remove the password (File → Info → Protect Workbook) and save it as .xlsx or CSV UTF-8."},
    "file_corrupt": {"vi": "Tệp {file} bị hỏng hoặc không phải bảng tính .xlsx; mở lại bằng Excel và lưu dạng .xlsx hoặc CSV UTF-8.",
                     "en": "The file {file} is damaged or not an .xlsx workbook; open it in Excel and save it again as .xlsx or CSV UTF-8."},
    "file_kind": {"vi": "Tệp {file} có đuôi {suffix}; chỉ đọc được bảng .xlsx hoặc .csv.",
                  "en": "The file {file} ends in {suffix}; only .xlsx and .csv tables can be read."},
    "file_encoding": {"vi": "Tệp {file} không lưu ở mã UTF-8; trong Excel chọn Lưu thành → CSV UTF-8 (phân tách bằng dấu phẩy).",
                      "en": "The file {file} is not saved as UTF-8; in Excel choose Save As → CSV UTF-8 (comma delimited)."},
    "no_header": {"vi": "Không tìm thấy dòng tiêu đề trong {rows} dòng đầu của {file}: cần một dòng có ít nhất Tên sản phẩm và hai cột khác như Tên chủ thể, Hạng sao, Số quyết định, Ngày.",
                  "en": "No header row in the first {rows} rows of {file}: expected a row naming at least Tên sản phẩm and two more columns such as Tên chủ thể, Hạng sao, Số quyết định, Ngày."},
    "bad_province": {"vi": "Tỉnh '{province}' không có trong danh mục hành chính (trước năm 2025).",
                     "en": "The province '{province}' is not in the gazetteer (before the 2025 reform)."},
    "bad_option_district": {"vi": "--district '{district}' không phải huyện của {province}. Có phải: {suggestions}?",
                            "en": "--district '{district}' is not a district of {province}. Did you mean: {suggestions}?"},
    "missing_columns": {"vi": "Bảng thiếu cột: {missing}. Các cột đã nhận ra ở dòng tiêu đề: {found}.",
                        "en": "The table lacks the column(s): {missing}. Columns recognised in the header row: {found}."},
    "no_rows": {"vi": "Bảng có dòng tiêu đề nhưng không có dòng sản phẩm nào.", "en": "The table has a header row but no product rows."},
    "merged_across": {"vi": "các ô {cells} được gộp qua nhiều cột ({columns}); mỗi cột cần giá trị riêng. Bỏ gộp ô (Merge & Center) và điền từng ô.",
                      "en": "the cells {cells} are merged across columns ({columns}); each column needs its own value. Unmerge them (Merge & Center) and fill each cell."},
    "empty_cell": {"vi": "ô trống; cần {what}.", "en": "the cell is empty; expected {what}."},
    "bad_stars": {"vi": "ghi '{found}'; cần hạng sao 3, 4 hoặc 5 (ví dụ 4 hoặc '4 sao').",
                  "en": "found '{found}'; expected a star level of 3, 4 or 5 (e.g. 4 or '4 sao')."},
    "bad_score": {"vi": "ghi '{found}'; cần số điểm nguyên từ 0 đến 100 (ví dụ 76).",
                  "en": "found '{found}'; expected a whole number of points from 0 to 100 (e.g. 76)."},
    "score_band": {"vi": "{score} điểm không khớp hạng {stars} sao; hạng {stars} sao cần {lo}–{hi} điểm.",
                   "en": "{score} points do not match {stars} stars; a {stars}-star rating needs {lo}–{hi} points."},
    "no_date": {"vi": "không có ngày quyết định ('{found}'); thêm cột Ngày hoặc ghi 'số … ngày 31/12/2023'.",
                "en": "no decision date ('{found}'); add a Ngày column or write 'number … ngày 31/12/2023'."},
    "bad_date": {"vi": "ghi '{found}', không phải ngày hợp lệ; cần ngày/tháng/năm, ví dụ 31/12/2023.",
                 "en": "found '{found}', which is not a real date; expected day/month/year, e.g. 31/12/2023."},
    "bad_district": {"vi": "ghi '{found}', không phải huyện của {province}.",
                     "en": "found '{found}', which is not a district of {province}."},
    "bad_district_hint": {"vi": " Có phải {suggestions}?", "en": " Did you mean {suggestions}?"},
    "suggest": {"vi": "có phải {suggestions}?", "en": "did you mean {suggestions}?"},
    "tones_hint": {"vi": " (tên huyện cần viết có dấu)", "en": " (district names need their tone marks)"},
    "no_district": {"vi": "không nhận ra huyện trong '{found}'; cần địa chỉ có tên huyện của {province} (ví dụ 'xã Đức Hạnh, huyện Đức Linh'), một cột Huyện, hoặc tùy chọn --district.",
                    "en": "no district found in '{found}'; expected an address naming a district of {province} (e.g. 'xã Đức Hạnh, huyện Đức Linh'), a Huyện column, or the --district option."},
    "duplicate_row": {"vi": "sản phẩm '{name}' của '{producer}' đã có ở dòng {first}; mỗi sản phẩm chỉ ghi một lần.",
                      "en": "the product '{name}' of '{producer}' is already on row {first}; list each product once."},
    "unknown_id": {"vi": "không có bản ghi mã '{found}' trong thư mục sản phẩm.", "en": "no record has the id '{found}' in the products folder."},
    "ambiguous": {"vi": "'{name}' của '{producer}' khớp nhiều bản ghi ({ids}); thêm cột Mã sản phẩm để chỉ rõ.",
                  "en": "'{name}' of '{producer}' matches several records ({ids}); add a Mã sản phẩm (id) column to say which."},
    "bad_kind": {"vi": "ghi '{found}'; cần loại hình: doanh nghiệp, hợp tác xã, tổ hợp tác hoặc hộ kinh doanh.",
                 "en": "found '{found}'; expected a producer kind: doanh nghiệp, hợp tác xã, tổ hợp tác or hộ kinh doanh."},
    "unknown_kind": {"vi": "không biết loại hình của chủ thể '{found}'; tên nên bắt đầu bằng HTX, Công ty, Tổ hợp tác, Hộ kinh doanh hoặc Cơ sở, hoặc thêm cột Loại hình.",
                     "en": "cannot tell the kind of producer '{found}'; expected a name starting with HTX, Công ty, Tổ hợp tác, Hộ kinh doanh or Cơ sở, or a Loại hình column."},
    "bad_group": {"vi": "ghi '{found}'; cần nhóm: Thực phẩm, Đồ uống, Dược liệu, Thủ công mỹ nghệ, Sinh vật cảnh hoặc Du lịch.",
                  "en": "found '{found}'; expected a group: Thực phẩm, Đồ uống, Dược liệu, Thủ công mỹ nghệ, Sinh vật cảnh or Du lịch."},
    "unknown_group": {"vi": "không đoán được nhóm sản phẩm từ tên '{found}'; thêm cột Nhóm hoặc dùng tùy chọn --group.",
                      "en": "cannot tell the product group from the name '{found}'; add a Nhóm column or use the --group option."},
    "same_date": {"vi": "bản ghi {id} đã có chứng nhận ngày {date} (quyết định {decision}); hai chứng nhận không thể cùng ngày.",
                  "en": "record {id} already has a certificate dated {date} (decision {decision}); two certificates cannot share a date."},
    "older_than_current": {"vi": "ngày {date} cũ hơn chứng nhận hiện tại của {id} ({current}); chỉ ghi thêm chứng nhận mới hơn.",
                           "en": "the date {date} is older than the current certificate of {id} ({current}); only newer certificates are added."},
    # --- the plan ---
    "plan_title": {"vi": "Kế hoạch nhập {file} (dòng tiêu đề: {header}):", "en": "Import plan for {file} (header row: {header}):"},
    "plan_columns": {"vi": "  Cột nhận ra: {columns}", "en": "  Columns recognised: {columns}"},
    "plan_from_title": {"vi": "  Số và ngày quyết định lấy từ tên bảng: {decision}, {date}", "en": "  Decision number and date taken from the table's title: {decision}, {date}"},
    "plan_new": {"vi": "Sản phẩm mới ({n}):", "en": "New products ({n}):"},
    "plan_new_item": {"vi": "  dòng {row}: {id} «{name}» — {producer}, {district}, {stars} sao, {issuer} → {path}",
                      "en": "  row {row}: {id} «{name}» — {producer}, {district}, {stars} stars, {issuer} → {path}"},
    "plan_guessed": {"vi": "      đoán từ tên: {fields} — kiểm tra lại trong tệp", "en": "      guessed from the names: {fields} — check them in the file"},
    "plan_certs": {"vi": "Chứng nhận mới cho sản phẩm đã có ({n}):", "en": "New certificates for existing products ({n}):"},
    "plan_cert_item": {"vi": "  dòng {row}: {id} «{name}» — {change}, quyết định {decision} ngày {date}, {issuer} → {path}",
                       "en": "  row {row}: {id} «{name}» — {change}, decision {decision} of {date}, {issuer} → {path}"},
    "change_renewal": {"vi": "đánh giá lại, giữ {stars} sao", "en": "re-evaluated, stays at {stars} stars"},
    "change_uprating": {"vi": "nâng hạng {old} → {stars} sao", "en": "re-rated up {old} → {stars} stars"},
    "change_downrating": {"vi": "hạ hạng {old} → {stars} sao", "en": "re-rated down {old} → {stars} stars"},
    "plan_skipped": {"vi": "Dòng bỏ qua ({n}):", "en": "Rows skipped ({n}):"},
    "skip_heading": {"vi": "  dòng {row}: dòng tiêu đề nhóm «{text}», không phải sản phẩm", "en": "  row {row}: a section heading «{text}», not a product"},
    "skip_already_recorded": {"vi": "  dòng {row}: {id} đã có chứng nhận {decision} ngày {date}; không ghi lại",
                              "en": "  row {row}: {id} already has certificate {decision} of {date}; not written again"},
    "plan_problems": {"vi": "Dòng không xử lý được ({n}) — phải sửa bảng trước khi nhập:", "en": "Rows that cannot be placed ({n}) — fix the table before importing:"},
    "plan_summary": {"vi": "Tổng cộng: {new} sản phẩm mới, {certs} chứng nhận mới, {skipped} dòng bỏ qua, {problems} lỗi.",
                     "en": "In all: {new} new products, {certs} new certificates, {skipped} rows skipped, {problems} problems."},
    "plan_dry_run": {"vi": "Đây là bản xem trước, chưa ghi gì. Ghi thật bằng: ocop import {file} --apply",
                     "en": "This is a preview; nothing was written. To write it: ocop import {file} --apply"},
    "plan_refused": {"vi": "Không ghi gì: bảng còn {n} lỗi. Sửa các dòng trên rồi chạy lại.", "en": "Nothing was written: the table has {n} problem(s). Fix the rows above and run again."},
    "plan_nothing": {"vi": "Không có gì để ghi.", "en": "Nothing to write."},
    "records_invalid": {"vi": "Không ghi gì: bản ghi tạo ra chưa hợp lệ (thông báo kiểm tra bằng tiếng Anh):",
                        "en": "Nothing was written: the records produced are not valid:"},
    "written": {"vi": "Đã ghi {path}", "en": "Wrote {path}"},
    "applied": {"vi": "Xong: {new} sản phẩm mới, {certs} chứng nhận mới. Kiểm tra bằng: make check, xem trước bằng: make serve",
                "en": "Done: {new} new products, {certs} new certificates. Check with: make check, preview with: make serve"},
    # --- new / renew / revoke ---
    "ask_name": {"vi": "Tên sản phẩm (tiếng Việt)", "en": "Product name (Vietnamese)"},
    "ask_name_en": {"vi": "Tên tiếng Anh (có thể bỏ trống)", "en": "English name (may be left empty)"},
    "ask_district": {"vi": "Huyện/thị xã/thành phố", "en": "District"},
    "ask_producer": {"vi": "Tên chủ thể", "en": "Producer"},
    "ask_kind": {"vi": "Loại hình chủ thể (enterprise/cooperative/cooperative_group/household)", "en": "Producer kind (enterprise/cooperative/cooperative_group/household)"},
    "ask_group": {"vi": "Nhóm sản phẩm (food/drinks/herbal/handicrafts/ornamental/tourism)", "en": "Product group (food/drinks/herbal/handicrafts/ornamental/tourism)"},
    "ask_stars": {"vi": "Hạng sao (3, 4, 5)", "en": "Stars (3, 4, 5)"},
    "ask_score": {"vi": "Điểm (có thể bỏ trống)", "en": "Score (may be left empty)"},
    "ask_decision": {"vi": "Số quyết định (ví dụ 2345/QĐ-UBND)", "en": "Decision number (e.g. 2345/QĐ-UBND)"},
    "ask_date": {"vi": "Ngày quyết định (ngày/tháng/năm)", "en": "Decision date (day/month/year)"},
    "ask_issuer": {"vi": "Cơ quan cấp", "en": "Issuing body"},
    "missing_options": {"vi": "Thiếu thông tin: {names}. Ghi bằng tùy chọn (ví dụ --name \"...\") hoặc chạy ở cửa sổ lệnh để được hỏi.",
                        "en": "Missing: {names}. Give them as options (e.g. --name \"...\") or run in a terminal to be asked."},
    "bad_value": {"vi": "{what}: ghi '{found}'; cần {expected}.", "en": "{what}: found '{found}'; expected {expected}."},
    "expected_stars": {"vi": "3, 4 hoặc 5", "en": "3, 4 or 5"},
    "expected_date": {"vi": "ngày/tháng/năm, ví dụ 31/12/2023 (hoặc 2023-12-31)", "en": "day/month/year, e.g. 31/12/2023 (or 2023-12-31)"},
    "expected_score": {"vi": "số điểm nguyên từ 0 đến 100", "en": "a whole number of points from 0 to 100"},
    "expected_kind": {"vi": "enterprise, cooperative, cooperative_group hoặc household", "en": "enterprise, cooperative, cooperative_group or household"},
    "expected_group": {"vi": "food, drinks, herbal, handicrafts, ornamental, tourism (hoặc tên nhóm tiếng Việt)",
                       "en": "food, drinks, herbal, handicrafts, ornamental, tourism (or the Vietnamese group name)"},
    "expected_district": {"vi": "một huyện của {province}{hint}", "en": "a district of {province}{hint}"},
    "id_taken": {"vi": "Mã '{id}' đã dùng cho {path}; mỗi sản phẩm cần mã riêng.", "en": "The id '{id}' is already used by {path}; every product needs its own id."},
    "slug_taken": {"vi": "Địa chỉ trang '{slug}' đã dùng cho {path}; chọn --slug khác.", "en": "The page address '{slug}' is already used by {path}; choose another --slug."},
    "not_found": {"vi": "Không tìm thấy sản phẩm '{key}' (theo mã, địa chỉ trang hoặc tên tệp).", "en": "No product '{key}' (by id, page address or file name)."},
    "unreadable": {"vi": "Không đọc được {path}; sửa lỗi bằng make check trước.", "en": "Cannot read {path}; fix it first (make check)."},
    "already_revoked": {"vi": "Chứng nhận hiện tại của {id} (quyết định {decision}) đã bị thu hồi ngày {date}.",
                        "en": "The current certificate of {id} (decision {decision}) was already revoked on {date}."},
    "revoke_note": {"vi": "thu hồi theo Quyết định {decision}", "en": "revoked by decision {decision}"},
    "revoked_ok": {"vi": "Đã ghi thu hồi chứng nhận {decision} của {id} từ ngày {date} vào {path}. Trang sản phẩm vẫn giữ, ghi 'Đã thu hồi'.",
                   "en": "Recorded the revocation of certificate {decision} of {id} from {date} in {path}. The product keeps its page, marked 'Revoked'."},
    "renewed_ok": {"vi": "Đã thêm chứng nhận {stars} sao (quyết định {decision} ngày {date}) vào {path} — {change}.",
                   "en": "Added a {stars}-star certificate (decision {decision} of {date}) to {path} — {change}."},
    "created_ok": {"vi": "Đã tạo {path} (mã {id}, trang /san-pham/{slug}/).", "en": "Created {path} (id {id}, page /san-pham/{slug}/)."},
    "date_not_after": {"vi": "Ngày {date} không sau ngày chứng nhận hiện tại ({current}) của {id}.",
                       "en": "The date {date} is not after the current certificate's date ({current}) of {id}."},
    "revoke_before": {"vi": "Ngày thu hồi {date} trước ngày cấp chứng nhận ({issued}).", "en": "The revocation date {date} is before the certificate's date ({issued})."},
    # --- report ---
    "report_title": {"vi": "Báo cáo danh mục OCOP ngày {date} ({n} sản phẩm, {listed} đang hiển thị)",
                     "en": "OCOP catalogue report on {date} ({n} products, {listed} listed)"},
    "report_expiring": {"vi": "Sắp hết hạn trong {days} ngày ({n})", "en": "Expiring within {days} days ({n})"},
    "report_expired": {"vi": "Đã hết hạn, cần đánh giá lại ({n})", "en": "Expired, to be re-evaluated ({n})"},
    "report_revoked": {"vi": "Đã thu hồi ({n})", "en": "Revoked ({n})"},
    "report_missing_en": {"vi": "Thiếu tiếng Anh ({n})", "en": "Missing English ({n})"},
    "report_missing_photo": {"vi": "Thiếu ảnh ({n})", "en": "Missing photos ({n})"},
    "report_missing_price": {"vi": "Thiếu giá bán ({n})", "en": "Missing price ({n})"},
    "report_missing_trace": {"vi": "Thiếu đường dẫn truy xuất nguồn gốc ({n})", "en": "Missing traceability link ({n})"},
    "report_by_district": {"vi": "Số sản phẩm theo huyện (đang hiển thị / tất cả)", "en": "Products by district (listed / all)"},
    "report_by_group": {"vi": "Số sản phẩm theo nhóm (đang hiển thị)", "en": "Products by group (listed)"},
    "report_by_star": {"vi": "Số sản phẩm theo hạng sao (đang hiển thị)", "en": "Products by star level (listed)"},
    "report_kinds": {"vi": "Chủ thể ({n}) so với chỉ tiêu kế hoạch", "en": "Producers ({n}) against the plan targets"},
    "report_kind_row": {"vi": "  {label}: {count}/{total} = {share} (chỉ tiêu ≥ {target}) {verdict}",
                        "en": "  {label}: {count}/{total} = {share} (target ≥ {target}) {verdict}"},
    "report_unknown": {"vi": " — chưa rõ {n}", "en": " — {n} unknown"},
    "report_met": {"vi": "đạt", "en": "met"},
    "report_not_met": {"vi": "CHƯA ĐẠT", "en": "NOT MET"},
    "report_none": {"vi": "  (không có)", "en": "  (none)"},
    "report_expires_on": {"vi": "hết hạn {date}", "en": "expires {date}"},
    "report_expired_on": {"vi": "hết hạn từ {date}", "en": "expired {date}"},
    "report_revoked_on": {"vi": "thu hồi {date}", "en": "revoked {date}"},
    "target_cooperative": {"vi": "Hợp tác xã", "en": "Cooperatives"},
    "target_coop_or_enterprise": {"vi": "Hợp tác xã hoặc doanh nghiệp", "en": "Cooperatives or enterprises"},
    "target_women_led": {"vi": "Do phụ nữ làm chủ", "en": "Women-led"},
    "target_ethnic_minority_led": {"vi": "Do người dân tộc thiểu số làm chủ", "en": "Led by ethnic-minority people"},
    "kind_enterprise": {"vi": "Doanh nghiệp", "en": "Enterprise"},
    "kind_cooperative": {"vi": "Hợp tác xã", "en": "Cooperative"},
    "kind_cooperative_group": {"vi": "Tổ hợp tác", "en": "Cooperative group"},
    "kind_household": {"vi": "Hộ sản xuất, kinh doanh", "en": "Household business"},
    "records_have_errors": {"vi": "Các bản ghi còn lỗi; sửa trước (thông báo bằng tiếng Anh):", "en": "The records have errors; fix them first:"},
}
