"""What the staff commands say: English msgids here, Vietnamese in the gettext domain "staff".

Vietnamese is the default; `--lang en` or `OCOP_LANG=en` switches to English. The words live
in the one system every part of the catalogue uses (`ocop.i18n`): the English text is the
msgid, `ocop/locale/vi/LC_MESSAGES/staff.po` holds its Vietnamese.

Call sites still ask for a message by key, `t("plan_new", n=3)`: the key → msgid table below is
the smallest change from the old keyed dictionary, and it lets the pure modules (decisions,
report) return problem codes and values (a code is a key) without choosing words. `t` looks
the key up, translates the msgid with gettext and fills in the named values, written the
reader's way (`ocop.problems.format_value`: 15/10/2026 and "12,5%" in Vietnamese). Problems of
the record reader (`ocop.records`) are printed in the same language (`ocop.problems.format_report`).
"""

from __future__ import annotations

from .i18n import DEFAULT_LANG, N_, gettext_for
from .problems import chosen_lang, format_value

_lang = DEFAULT_LANG


def set_lang(lang: str | None) -> str:
    """Choose the language: `lang`, else OCOP_LANG, else Vietnamese; an unknown one falls back to Vietnamese."""
    global _lang
    _lang = chosen_lang(lang)
    return _lang


def lang() -> str:
    return _lang


def t(_key: str, **kw: object) -> str:
    """The message `_key` in the chosen language, with the named values filled in."""
    text = gettext_for("staff", _lang)(MESSAGES[_key])
    return text.format(**{k: format_value(v, _lang) for k, v in kw.items()}) if kw else text


def where(row: int | None, column: str | None) -> str:
    if row and column:
        return t("at_row_column", row=row, column=column)
    if row:
        return t("at_row", row=row)
    if column:
        return t("at_column", column=column)
    return ""


# key → English msgid. Problem codes of ocop.decisions, skip codes ("skip_" + code) and
# change kinds ("change_" + ocop.certificates.change_kind) are keys too.
MESSAGES: dict[str, str] = {
    "at_row_column": N_("Row {row}, column {column}: "),
    "at_row": N_("Row {row}: "),
    "at_column": N_("Column {column}: "),
    "file_missing": N_("The file {file} was not found."),
    "file_empty": N_(
        "The file {file} is empty: it has no rows. Expected a table with a header row (STT, Tên sản phẩm, Tên chủ "
        "thể, Hạng sao, Số quyết định, Ngày) and product rows."
    ),
    "file_protected": N_(
        "{file}: the workbook is password-protected or not an .xlsx file (it may be an old .xls). Open it in "
        "Excel, remove the password (File → Info → Protect Workbook) and save it as .xlsx or CSV UTF-8."
    ),
    "file_corrupt": N_(
        "The file {file} is damaged or not an .xlsx workbook; open it in Excel and save it again as .xlsx or CSV UTF-8."
    ),
    "file_unpacks_big": N_(
        "The workbook {file} unpacks to {size} MB; at most {limit} MB can be read. Save the table alone in a new"
        " workbook (without pictures) or as CSV UTF-8."
    ),
    "too_many_rows": N_(
        "The sheet {sheet} has more than {limit} rows; stopped reading here. Split the table into several files."
    ),
    "cell_too_long": N_(
        "A cell of {sheet} holds more than {limit} characters; no product's name or address is that long: check"
        " the cell (a whole text pasted into it?)."
    ),
    "sheet_hidden": N_(
        "The table is on the sheet {sheet}, which is hidden in the workbook; its rows were read: check that they"
        " belong to the decision."
    ),
    "rows_hidden": N_(
        "{count} row(s) are hidden in the sheet ({rows}); they were read like the others: check that they belong"
        " to the decision."
    ),
    "file_kind": N_("The file {file} ends in {suffix}; only .xlsx and .csv tables can be read."),
    "file_encoding": N_(
        "The file {file} is not saved as UTF-8; in Excel choose Save As → CSV UTF-8 (comma delimited)."
    ),
    "no_header": N_(
        "No header row in the first {rows} rows of {file}: expected a row naming at least Tên sản phẩm and two "
        "more columns such as Tên chủ thể, Hạng sao, Số quyết định, Ngày."
    ),
    "bad_province": N_("The province '{province}' is not a province of Vietnam (current or former)."),
    "bad_option_district": N_("--district '{district}' is not a district of {province}. Did you mean: {suggestions}?"),
    "missing_columns": N_("The table lacks the column(s): {missing}. Columns recognised in the header row: {found}."),
    "no_rows": N_("The table has a header row but no product rows."),
    "merged_across": N_(
        "the cells {cells} are merged across columns ({columns}); each column needs its own value. Unmerge them "
        "(Merge & Center) and fill each cell."
    ),
    "empty_cell": N_("the cell is empty; expected {what}."),
    "bad_stars": N_("found '{found}'; expected a star level of 3, 4 or 5 (e.g. 4 or '4 sao')."),
    "bad_score": N_("found '{found}'; expected a whole number of points from 0 to 100 (e.g. 76)."),
    "score_band": N_("{score} points do not match {stars} stars; a {stars}-star rating needs {lo}–{hi} points."),
    "no_date": N_("no decision date ('{found}'); add a Ngày column or write 'number … ngày 31/12/2023'."),
    "bad_date": N_("found '{found}', which is not a real date; expected day/month/year, e.g. 31/12/2023."),
    "bad_district": N_("found '{found}', which is not a district of {province}."),
    "bad_district_hint": N_(" Did you mean {suggestions}?"),
    "suggest": N_("did you mean {suggestions}?"),
    "tones_hint": N_(" (district names need their tone marks)"),
    "no_district": N_(
        "no place found in '{found}'; expected an address naming a commune or a district of {province} (e.g. "
        "'xã Đức Hạnh, huyện Đức Linh' or 'xã Hàm Thuận Bắc, tỉnh Lâm Đồng'), a Xã/Phường or Huyện column, or the "
        "--district option."
    ),
    "duplicate_row": N_("the product '{name}' of '{producer}' is already on row {first}; list each product once."),
    "unknown_id": N_("no record has the id '{found}' in the products folder."),
    "ambiguous": N_(
        "'{name}' of '{producer}' matches several records ({ids}); add a Mã sản phẩm (id) column to say which."
    ),
    "bad_kind": N_("found '{found}'; expected a producer kind: doanh nghiệp, hợp tác xã, tổ hợp tác or hộ kinh doanh."),
    "unknown_kind": N_(
        "cannot tell the kind of producer '{found}'; expected a name starting with HTX, Công ty, Tổ hợp tác, Hộ "
        "kinh doanh or Cơ sở, or a Loại hình column."
    ),
    "bad_group": N_("found '{found}', which is not a product group; accepted labels: {accepted}."),
    "no_table_in_sheets": N_(
        "No product table found in the sheets of {file}: {sheets}. Expected a sheet with a header row naming at "
        "least Tên sản phẩm and two more columns such as Tên chủ thể, Hạng sao, Số quyết định, Ngày."
    ),
    "similar_product": N_(
        "'{name}' of '{producer}' is close to the existing record(s) {records}, but not the same name. If it is "
        "that product, write its id in a Mã sản phẩm column (the row then renews or re-rates it); if it is a new "
        "product, write 'mới' there."
    ),
    "unknown_group": N_(
        "cannot tell the product group from the name '{found}'; add a Nhóm column or use the --group option."
    ),
    "same_date": N_(
        "record {id} already has a certificate dated {date} (decision {decision}); two certificates cannot share "
        "a date."
    ),
    "older_than_current": N_(
        "the date {date} is older than the current certificate of {id} ({current}); only newer certificates are added."
    ),
    "plan_title": N_("Import plan for {file} (header row: {header}):"),
    "plan_columns": N_("  Columns recognised: {columns}"),
    "plan_sheet": N_("  The table is on the sheet «{sheet}»."),
    "plan_matched": N_("      matched by a similar name: the table says «{name}»"),
    "plan_place": N_("      commune: {commune}; address: {address}"),
    "plan_place_province": N_("; province in the table: {province}"),
    "plan_from_title": N_("  Decision number and date taken from the table's title: {decision}, {date}"),
    "plan_new": N_("New products ({n}):"),
    "plan_new_item": N_("  row {row}: {id} «{name}» — {producer}, {district}, {stars} stars, {issuer} → {path}"),
    "plan_guessed": N_("      guessed from the names: {fields} — check them in the file"),
    "plan_certs": N_("New certificates for existing products ({n}):"),
    "plan_cert_item": N_("  row {row}: {id} «{name}» — {change}, decision {decision} of {date}, {issuer} → {path}"),
    "change_renewed": N_("re-evaluated, stays at {stars} stars"),
    "change_upgraded": N_("re-rated up {old} → {stars} stars"),
    "change_downgraded": N_("re-rated down {old} → {stars} stars"),
    "change_certified": N_("first certified, {stars} stars"),
    "plan_skipped": N_("Rows skipped ({n}):"),
    "skip_heading": N_("  row {row}: a section heading «{text}», not a product"),
    "skip_already_recorded": N_("  row {row}: {id} already has certificate {decision} of {date}; not written again"),
    "plan_problems": N_("Rows that cannot be placed ({n}) — fix the table before importing:"),
    "plan_summary": N_(
        "In all: {new} new products, {certs} new certificates, {skipped} rows skipped, {problems} problems."
    ),
    "plan_dry_run": N_("This is a preview; nothing was written. To write it: ocop import {file} --apply"),
    "plan_refused": N_("Nothing was written: the table has {n} problem(s). Fix the rows above and run again."),
    "plan_nothing": N_("Nothing to write."),
    "records_invalid": N_("Nothing was written: the records produced are not valid:"),
    "written": N_("Wrote {path}"),
    "applied": N_(
        "Done: {new} new products, {certs} new certificates. Check with: make check, preview with: make serve"
    ),
    "read_as": N_("'{found}' was read as {read_as} (written without tone marks); check it."),
    "read_as_new": N_("{option}: '{found}' was read as {read_as} (written without tone marks)."),
    "ambiguous_place": N_(
        "'{found}' may be any of: {candidates}; write it with its tone marks, or name its province or district."
    ),
    "bad_commune": N_("found '{found}', which is not a commune, ward or special zone of {province}."),
    "bad_row_province": N_("found '{found}', which is not a province of Vietnam (current or former)."),
    "no_province": N_("the row names no province and the site covers {scope}; add a Tỉnh column or use --province."),
    "missing_province": N_("The site covers {scope}: say the product's province with --province."),
    "commune_spans": N_(
        "{commune} was formed from communes of several former districts ({districts}); say which district (a Huyện "
        "column, the address or --district)."
    ),
    "commune_not_from": N_(
        "{commune} was not formed from any commune of {district}; check the commune and the district."
    ),
    "plan_both_maps": N_("      place: {now} (before 7/2025: {before})"),
    "whole_country": N_("the whole country"),
    "plan_warnings": N_("Accepted, but check ({n}):"),
    "ask_province": N_("Province (Enter: the site's)"),
    "ask_province_any": N_("Province (today's, e.g. Lâm Đồng, or the one on the certificate)"),
    "ask_commune": N_("Commune, ward or special zone (since 7/2025)"),
    "expected_commune": N_("a commune, ward or special zone of {province}{hint}"),
    "expected_province": N_("a province of Vietnam{hint}"),
    "ask_name": N_("Product name (Vietnamese)"),
    "ask_name_en": N_("English name (may be left empty)"),
    "ask_district": N_("District"),
    "ask_producer": N_("Producer"),
    "ask_kind": N_("Producer kind (enterprise/cooperative/cooperative_group/household)"),
    "ask_group": N_("Product group (food/drinks/herbal/handicrafts/ornamental/tourism)"),
    "ask_stars": N_("Stars (3, 4, 5)"),
    "ask_score": N_("Score (may be left empty)"),
    "ask_decision": N_("Decision number (e.g. 2345/QĐ-UBND)"),
    "ask_date": N_("Decision date (day/month/year)"),
    "ask_issuer": N_("Issuing body"),
    "missing_options": N_(
        'Missing: {names}. Give them as options (e.g. --name "...") or run in a terminal to be asked.'
    ),
    "bad_value": N_("{what}: found '{found}'; expected {expected}."),
    "expected_stars": N_("3, 4 or 5"),
    "expected_date": N_("day/month/year, e.g. 31/12/2023 (or 2023-12-31)"),
    "expected_score": N_("a whole number of points from 0 to 100"),
    "expected_kind": N_("enterprise, cooperative, cooperative_group or household"),
    "expected_group": N_("food, drinks, herbal, handicrafts, ornamental, tourism (or the Vietnamese group name)"),
    "expected_district": N_("a district of {province}{hint}"),
    "id_taken": N_("The id '{id}' is already used by {path}; every product needs its own id."),
    "name_characters": N_(
        "{option} {found} cannot be used: only lowercase letters a-z, digits and hyphens between them are allowed"
        " (no spaces, '/', '..' or line breaks), e.g. nuoc-mam-ba-hai"
    ),
    "name_length": N_("{option} {found} has {length} characters; at most {limit} are allowed."),
    "name_reserved": N_(
        "{option} {found} is a name Windows reserves for a device (con, nul, aux, prn, com1...); choose another."
    ),
    "slug_taken": N_("The page address '{slug}' is already used by {path}; choose another --slug."),
    "not_found": N_("No product '{key}' (by id, page address or file name)."),
    "unreadable": N_("Cannot read {path}; fix it first (make check)."),
    "already_revoked": N_("The current certificate of {id} (decision {decision}) was already revoked on {date}."),
    "revoke_note": N_("revoked by decision {decision}"),
    "revoked_ok": N_(
        "Recorded the revocation of certificate {decision} of {id} from {date} in {path}. The product keeps its "
        "page, marked 'Revoked'."
    ),
    "renewed_ok": N_("Added a {stars}-star certificate (decision {decision} of {date}) to {path} — {change}."),
    "created_ok": N_("Created {path} (id {id}, page /san-pham/{slug}/)."),
    "date_not_after": N_("The date {date} is not after the current certificate's date ({current}) of {id}."),
    "revoke_before": N_("The revocation date {date} is before the certificate's date ({issued})."),
    "report_title": N_("OCOP catalogue report on {date} ({n} products, {listed} listed)"),
    "report_expiring": N_("Expiring within {days} days ({n})"),
    "report_expired": N_("Expired, to be re-evaluated ({n})"),
    "report_revoked": N_("Revoked ({n})"),
    "report_missing_en": N_("Missing English ({n})"),
    "report_missing_photo": N_("Missing photos ({n})"),
    "report_missing_price": N_("Missing price ({n})"),
    "report_missing_trace": N_("Missing traceability link ({n})"),
    "report_by_district": N_("Products by district (listed / all)"),
    "report_by_group": N_("Products by group (listed)"),
    "report_by_star": N_("Products by star level (listed)"),
    "report_kinds": N_("Producers ({n}) against the plan targets"),
    "report_kind_row": N_("  {label}: {count}/{total} = {share} (target ≥ {target}) {verdict}"),
    "report_unknown": N_(" — {n} unknown"),
    "report_met": N_("met"),
    "report_not_met": N_("NOT MET"),
    "report_none": N_("  (none)"),
    "report_expires_on": N_("expires {date}"),
    "report_expired_on": N_("expired {date}"),
    "report_revoked_on": N_("revoked {date}"),
    "target_cooperative": N_("Cooperatives"),
    "target_coop_or_enterprise": N_("Cooperatives or enterprises"),
    "target_women_led": N_("Women-led"),
    "target_ethnic_minority_led": N_("Led by ethnic-minority people"),
    "kind_enterprise": N_("Enterprise"),
    "kind_cooperative": N_("Cooperative"),
    "kind_cooperative_group": N_("Cooperative group"),
    "kind_household": N_("Household business"),
    "records_have_errors": N_("The records have errors; fix them first:"),
    "none": N_("—"),
}
