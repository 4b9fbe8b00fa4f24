// Parsing of the value forms found in finance exports (Excel, treasury and budget systems, UK council spend files)
// into the canonical text PostgreSQL reads: amounts with thousands separators, full-width digits, signs or
// brackets, Chinese, slashed and month-name dates (day-first or month-first only when declared), timestamps
// with or without an offset, booleans in Chinese or English, and the key by which names of companies and
// units are matched.
// Pure functions: no I/O, no database.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace oversight::loader {

// Outcome of parsing one field: the canonical text, or why the text is refused.
struct ParsedValue {
	std::optional<std::string> value; // set on success
	std::string error;                // set on failure: "is not a number", …
	bool ok() const { return value.has_value(); }
	static ParsedValue success(std::string v) { return {std::move(v), {}}; }
	static ParsedValue failure(std::string e) { return {std::nullopt, std::move(e)}; }
};

// Full-width forms (０-９, ，, ．, －, ／, ：, ideographic space) folded to ASCII; other text unchanged.
std::string fold_fullwidth(std::string_view text);

// Trims ASCII spaces, tabs, CR, LF, ideographic spaces and U+FEFF at both ends. U+FEFF (zero-width no-break
// space) is what a byte-order mark becomes when files with one are concatenated: it starts a line mid-file,
// and left on a value it would make a look-alike key ("D-1" and "D-1<U+FEFF>").
std::string_view trim(std::string_view text);

// U+FEFF in UTF-8.
inline constexpr std::string_view zero_width_no_break_space = "\xEF\xBB\xBF";
inline bool has_zero_width_no_break_space(std::string_view text) {
	return text.find(zero_width_no_break_space) != std::string_view::npos;
}

// The first character an identifier must not hold, as "U+0001": a control character (U+0000-U+001F, U+007F)
// or U+FEFF, invisible in print, so an identifier holding one looks like another. nullopt when there is none.
std::optional<std::string> invisible_character(std::string_view text);

// A money amount: "1,234.50", "１２３４．５", "¥1,234.50", "£1,234.50", "1234元" → "1234.50". Negative amounts
// (a credit note or refund) are read too: "-50", "−50", "50-", "(50.00)", "£(50.00)" → "-50.00" (the caller
// decides whether it may store one). Refuses more than 4 decimals, values ≥ 10^15, misplaced separators and
// scientific notation (Excel's rounding of long numbers).
ParsedValue parse_amount(std::string_view text);
inline bool is_negative_amount(std::string_view canonical) {
	return !canonical.empty() && canonical.front() == '-';
}
// Compares two canonical amounts (parse_amount's output) by value: <0, 0, >0.
int compare_amounts(std::string_view a, std::string_view b);

// How an export writes the numeric dates that do not start with a four-digit year: declared per mapping file
// (date_order = dmy | mdy | ymd), never guessed — 03/04/2024 is 3 April in London and March 4 in New York.
enum class DateOrder { unspecified, ymd, dmy, mdy };
std::optional<DateOrder> parse_date_order(std::string_view text); // "dmy", "mdy", "ymd"
const char *date_order_name(DateOrder order);

// A calendar date: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 (an Excel "2024-03-05 00:00:00"
// too), month names in English (03-Apr-24, 3 April 2024, April 3, 2024, Apr. 3 2024), and with a declared
// order 05/03/2024 or 05.03.24 (dmy), 03/05/2024 (mdy), 24/03/05 (ymd) → "2024-03-05". Two-digit years are
// 2000-2069 for 00-69 and 1970-1999 for 70-99. Refuses impossible dates (2023-02-29), years outside
// 1900–2200, and a numeric day-month date when no order is declared.
ParsedValue parse_date(std::string_view text, DateOrder order = DateOrder::unspecified);

// A timestamp: any date form above, then a time (9:30, 09:30:15.5, 9时30分) and an optional offset (Z,
// +08, +08:00, +0800). Without an offset the time is read in the bureau's time zone (the loader sets the
// session TimeZone), so the canonical text keeps no offset then.
ParsedValue parse_timestamp(std::string_view text, DateOrder order = DateOrder::unspecified);

// An integer in [min_value, max_value] (thousands separators allowed).
ParsedValue parse_integer(std::string_view text, long long min_value, long long max_value);

// true/false, t/f, yes/no, y/n, 1/0, 是/否, √/× → "true" / "false".
ParsedValue parse_boolean(std::string_view text);

// ISO 4217 code, upper-cased: "cny" → "CNY" (aliases such as 人民币 come from the mapping file).
ParsedValue parse_currency(std::string_view text);

// A code of org units, people, posts: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$ (the tables' CHECK).
bool is_code(std::string_view text);

// Case-insensitive (ASCII) equality, for headers and enumerated values.
bool iequals(std::string_view a, std::string_view b);

// The key by which names of companies and units are matched: full-width forms folded, ASCII lower-cased,
// spaces and punctuation dropped, and the usual spellings of a limited company made one: 有限责任公司, (有限),
// (有限公司) and a final 有限 → 有限公司; Ltd, Ltd., Limited, Co. Ltd, Co., Limited, Company Limited → ltd. So
// "杭州文汇办公用品有限责任公司", "杭州文汇办公用品（有限）" and "杭州文汇办公用品 有限公司" are one name, as are
// "Fylde Coast Women's Aid Ltd." and "FYLDE COAST WOMENS AID LIMITED".
std::string name_key(std::string_view name);

} // namespace oversight::loader
