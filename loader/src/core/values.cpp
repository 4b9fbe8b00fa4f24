#include "core/values.hpp"

#include <date/date.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <vector>
#include <algorithm>

namespace oversight::loader {
namespace {

bool is_digit(char c) {
	return c >= '0' && c <= '9';
}

bool starts_with(std::string_view s, std::string_view p) {
	return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
	return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Reads 1..max_digits digits at s[pos]; returns false when there is none.
bool read_number(std::string_view s, size_t &pos, size_t max_digits, int &out) {
	size_t start = pos;
	out = 0;
	while (pos < s.size() && is_digit(s[pos]) && pos - start < max_digits)
		out = out * 10 + (s[pos++] - '0');
	return pos > start;
}

void skip_spaces(std::string_view s, size_t &pos) {
	while (pos < s.size() && s[pos] == ' ')
		++pos;
}

bool consume(std::string_view s, size_t &pos, std::string_view token) {
	if (s.substr(pos, token.size()) != token)
		return false;
	pos += token.size();
	return true;
}

struct DateParts {
	int year = 0, month = 0, day = 0;
};

constexpr const char *not_a_date = "is not a date (expected e.g. 2024-03-05, 2024/3/5, 2024年3月5日 or 5 March 2024)";

// An English month name at s[pos] (Jan, January, Sept; any case; an abbreviation may end with "."): 1-12, or 0
// with pos unchanged.
int read_month_name(std::string_view s, size_t &pos) {
	static constexpr const char *names[12] = {"january", "february", "march",     "april",   "may",      "june",
	                                          "july",    "august",   "september", "october", "november", "december"};
	size_t end = pos;
	std::string word;
	while (end < s.size() && std::isalpha(static_cast<unsigned char>(s[end])))
		word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[end++]))));
	for (int m = 0; m < 12 && word.size() >= 3; ++m) {
		std::string_view full = names[m];
		bool abbreviated = word == full.substr(0, 3) || (m == 8 && word == "sept");
		if (word == full || abbreviated) {
			pos = end;
			if (abbreviated && pos < s.size() && s[pos] == '.')
				++pos;
			return m + 1;
		}
	}
	return 0;
}

// A year of 4 digits, or of 2 (00-69 → 2000s, 70-99 → 1900s, as POSIX strptime %y).
bool read_year(std::string_view s, size_t &pos, int &year) {
	size_t start = pos;
	if (!read_number(s, pos, 4, year) || (pos - start != 2 && pos - start != 4))
		return false;
	if (pos - start == 2)
		year += year < 70 ? 2000 : 1900;
	return true;
}

bool is_date_separator(char c) {
	return c == '-' || c == '/' || c == '.' || c == ' ';
}
void skip_date_separators(std::string_view s, size_t &pos) {
	while (pos < s.size() && (is_date_separator(s[pos]) || s[pos] == ','))
		++pos;
}

// The year-first forms: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305.
std::string read_year_first(std::string_view s, size_t &pos, DateParts &d) {
	size_t start = pos;
	if (!read_number(s, pos, 4, d.year) || pos - start != 4)
		return not_a_date;
	if (pos < s.size() && is_digit(s[pos])) { // compact 20240305
		size_t p = pos;
		if (!read_number(s, p, 2, d.month) || p - pos != 2 || !read_number(s, p, 2, d.day) || p - pos != 4)
			return not_a_date;
		pos = p;
	} else if (size_t p = pos; (skip_spaces(s, p), consume(s, p, "年"))) {
		pos = p;
		skip_spaces(s, pos);
		if (!read_number(s, pos, 2, d.month))
			return "is not a date (month missing after 年)";
		skip_spaces(s, pos);
		if (!consume(s, pos, "月"))
			return "is not a date (expected 月 after the month)";
		skip_spaces(s, pos);
		if (!read_number(s, pos, 2, d.day))
			return "is not a date (day missing after 月)";
		skip_spaces(s, pos);
		if (!consume(s, pos, "日") && !consume(s, pos, "号"))
			return "is not a date (expected 日 after the day)";
	} else if (pos < s.size() && (s[pos] == '-' || s[pos] == '/' || s[pos] == '.')) {
		char sep = s[pos++];
		if (!read_number(s, pos, 2, d.month) || pos >= s.size() || s[pos] != sep)
			return not_a_date;
		++pos;
		if (!read_number(s, pos, 2, d.day))
			return "is not a date (day missing)";
	} else {
		return not_a_date;
	}
	return {};
}

// Parses the date part at s[pos]; leaves pos after it. Error text is empty on success.
std::string read_date(std::string_view s, size_t &pos, DateParts &d, DateOrder order) {
	size_t digits = 0;
	while (pos + digits < s.size() && is_digit(s[pos + digits]))
		++digits;
	std::string error;
	if (digits >= 4) {
		error = read_year_first(s, pos, d);
	} else if (digits == 0) { // April 3, 2024 / Apr. 3 2024
		if (!(d.month = read_month_name(s, pos)))
			return not_a_date;
		skip_date_separators(s, pos);
		if (!read_number(s, pos, 2, d.day))
			return not_a_date;
		skip_date_separators(s, pos);
		if (!read_year(s, pos, d.year))
			return "is not a date (year missing or not of 2 or 4 digits)";
	} else { // 1-2 digits first: 03-Apr-24, 3 April 2024, or numeric in the declared order
		int first = 0;
		read_number(s, pos, 2, first);
		if (pos >= s.size() || !is_date_separator(s[pos]))
			return not_a_date;
		char sep = s[pos];
		skip_date_separators(s, pos);
		if (int month = read_month_name(s, pos)) {
			d.day = first;
			d.month = month;
			skip_date_separators(s, pos);
			if (!read_year(s, pos, d.year))
				return "is not a date (year missing or not of 2 or 4 digits)";
		} else {
			int second = 0, third = 0;
			if (!read_number(s, pos, 2, second) || pos >= s.size() || s[pos] != sep)
				return not_a_date;
			++pos;
			if (order == DateOrder::unspecified)
				return "is a day-month date in an order not declared (is 03/04/2024 the 3rd of April or March "
				       "4th?): declare date_order = dmy, mdy or ymd in the mapping file";
			if (order == DateOrder::ymd) {
				d.year = first + (first < 70 ? 2000 : 1900);
				if (!read_number(s, pos, 2, third))
					return not_a_date;
				d.month = second;
				d.day = third;
			} else {
				if (!read_year(s, pos, d.year))
					return "is not a date (year missing or not of 2 or 4 digits)";
				d.day = order == DateOrder::dmy ? first : second;
				d.month = order == DateOrder::dmy ? second : first;
			}
		}
	}
	if (!error.empty())
		return error;
	if (d.year < 1900 || d.year > 2200)
		return "has a year outside 1900-2200";
	date::year_month_day ymd{date::year{d.year}, date::month{static_cast<unsigned>(d.month)},
	                         date::day{static_cast<unsigned>(d.day)}};
	if (!ymd.ok())
		return "is not a real calendar date";
	return {};
}

std::string format_date(const DateParts &d) { // by hand: snprintf showed in the loader's profile
	char buf[10] = {char('0' + d.year / 1000),
	                char('0' + d.year / 100 % 10),
	                char('0' + d.year / 10 % 10),
	                char('0' + d.year % 10),
	                '-',
	                char('0' + d.month / 10),
	                char('0' + d.month % 10),
	                '-',
	                char('0' + d.day / 10),
	                char('0' + d.day % 10)};
	return std::string(buf, sizeof buf);
}

} // namespace

std::string_view trim(std::string_view text) {
	static constexpr std::string_view ideographic_space = "\u3000";
	for (;;) {
		if (!text.empty() &&
		    (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' || text.front() == '\n'))
			text.remove_prefix(1);
		else if (starts_with(text, ideographic_space) || starts_with(text, zero_width_no_break_space))
			text.remove_prefix(3); // both are 3 bytes in UTF-8
		else
			break;
	}
	for (;;) {
		if (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
			text.remove_suffix(1);
		else if (ends_with(text, ideographic_space) || ends_with(text, zero_width_no_break_space))
			text.remove_suffix(3);
		else
			break;
	}
	return text;
}

std::optional<std::string> invisible_character(std::string_view text) {
	for (size_t i = 0; i < text.size(); ++i) {
		auto c = static_cast<unsigned char>(text[i]);
		if (c < 0x20 || c == 0x7F) {
			char buf[8];
			std::snprintf(buf, sizeof buf, "U+%04X", c);
			return std::string(buf);
		}
		if (c == 0xEF && text.substr(i, 3) == zero_width_no_break_space)
			return std::string("U+FEFF");
	}
	return std::nullopt;
}

std::string fold_fullwidth(std::string_view text) {
	if (text.find('\xEF') == std::string_view::npos && text.find('\xE3') == std::string_view::npos)
		return std::string(text);
	std::string out;
	out.reserve(text.size());
	for (size_t i = 0; i < text.size();) {
		auto c = static_cast<unsigned char>(text[i]);
		// U+FF01..U+FF5E are EF BC 81..BF and EF BD 80..9E; each maps to ASCII 0x21 + (code point − 0xFF01).
		if (c == 0xEF && i + 2 < text.size()) {
			auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
			unsigned cp = ((c & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				out.push_back(static_cast<char>(0x21 + (cp - 0xFF01)));
				i += 3;
				continue;
			}
		}
		if (c == 0xE3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
		    static_cast<unsigned char>(text[i + 2]) == 0x80) {
			out.push_back(' '); // U+3000 ideographic space
			i += 3;
			continue;
		}
		out.push_back(text[i++]);
	}
	return out;
}

ParsedValue parse_amount(std::string_view raw) {
	std::string folded = fold_fullwidth(raw);
	std::string_view s = trim(folded);
	auto strip_currency = [&s] { // a sign or code before the number, 元 after it
		for (bool again = true; again;) {
			again = false;
			for (std::string_view sign : {"¥", "￥", "RMB", "CNY", "£", "GBP", "$", "USD", "€", "EUR"})
				if (starts_with(s, sign)) {
					s = trim(s.substr(sign.size()));
					again = true;
				}
			if (ends_with(s, "元")) {
				s = trim(s.substr(0, s.size() - std::strlen("元")));
				again = true;
			}
		}
	};
	strip_currency();
	// A credit note or refund: (50.00), -50, −50 (U+2212) or 50- (the trailing minus of some ledgers).
	bool negative = false;
	if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
		negative = true;
		s = trim(s.substr(1, s.size() - 2));
		strip_currency();
	}
	for (std::string_view minus : {"-", "\u2212"})
		if (starts_with(s, minus) || (s.size() > minus.size() && ends_with(s, minus))) {
			if (negative)
				return ParsedValue::failure("is not a number (two minus signs)");
			negative = true;
			s = starts_with(s, minus) ? s.substr(minus.size()) : s.substr(0, s.size() - minus.size());
			s = trim(s);
			strip_currency();
		}
	if (s.empty())
		return ParsedValue::failure("is empty");
	if (s.front() == '+' && !negative)
		s.remove_prefix(1);

	std::string integer_digits, fraction;
	size_t pos = 0;
	bool grouped = false;
	size_t group_len = 0;
	for (; pos < s.size() && s[pos] != '.'; ++pos) {
		char c = s[pos];
		if (is_digit(c)) {
			integer_digits.push_back(c);
			++group_len;
		} else if (c == ',') {
			// A separator must follow 1–3 digits first, then exactly 3 digits per group.
			if (integer_digits.empty() || (grouped ? group_len != 3 : group_len > 3))
				return ParsedValue::failure("is not a number (misplaced thousands separator)");
			grouped = true;
			group_len = 0;
		} else if (c == 'e' || c == 'E') {
			return ParsedValue::failure(
			    "is in scientific notation (format the column as a number in Excel; digits may be lost)");
		} else {
			return ParsedValue::failure("is not a number");
		}
	}
	if (grouped && group_len != 3)
		return ParsedValue::failure("is not a number (misplaced thousands separator)");
	if (pos < s.size()) { // fraction
		++pos;
		for (; pos < s.size(); ++pos) {
			if (!is_digit(s[pos]))
				return ParsedValue::failure(
				    s[pos] == 'e' || s[pos] == 'E'
				        ? "is in scientific notation (format the column as a number in Excel; digits may be lost)"
				        : "is not a number");
			fraction.push_back(s[pos]);
		}
		if (fraction.empty() && integer_digits.empty())
			return ParsedValue::failure("is not a number");
	}
	if (integer_digits.empty() && fraction.empty())
		return ParsedValue::failure("is not a number");
	size_t first = integer_digits.find_first_not_of('0');
	integer_digits = first == std::string::npos ? "0" : integer_digits.substr(first);
	if (integer_digits.size() > 15)
		return ParsedValue::failure("is too large (amounts must be below 10^15)");
	if (fraction.size() > 4)
		return ParsedValue::failure("has more than 4 decimal places");
	std::string canonical = fraction.empty() ? integer_digits : integer_digits + "." + fraction;
	bool zero = canonical.find_first_not_of("0.") == std::string::npos;
	return ParsedValue::success(negative && !zero ? "-" + canonical : canonical);
}

int compare_amounts(std::string_view a, std::string_view b) {
	bool neg_a = is_negative_amount(a), neg_b = is_negative_amount(b);
	if (neg_a != neg_b)
		return neg_a ? -1 : 1;
	if (neg_a)
		return compare_amounts(b.substr(1), a.substr(1));
	size_t dot_a = std::min(a.find('.'), a.size()), dot_b = std::min(b.find('.'), b.size());
	if (dot_a != dot_b) // no leading zeros: the longer integer part is the larger
		return dot_a < dot_b ? -1 : 1;
	if (int c = a.substr(0, dot_a).compare(b.substr(0, dot_b)))
		return c < 0 ? -1 : 1;
	std::string fa(a.substr(std::min(dot_a + 1, a.size()))), fb(b.substr(std::min(dot_b + 1, b.size())));
	fa.resize(4, '0');
	fb.resize(4, '0');
	return fa < fb ? -1 : fa > fb ? 1 : 0;
}

std::optional<DateOrder> parse_date_order(std::string_view text) {
	for (auto [name, order] : {std::pair{"dmy", DateOrder::dmy}, {"mdy", DateOrder::mdy}, {"ymd", DateOrder::ymd}})
		if (iequals(trim(text), name))
			return order;
	return std::nullopt;
}

const char *date_order_name(DateOrder order) {
	switch (order) {
	case DateOrder::dmy:
		return "dmy";
	case DateOrder::mdy:
		return "mdy";
	case DateOrder::ymd:
		return "ymd";
	default:
		return "unspecified";
	}
}

// Folds full-width digits, trims, reads the leading date, then hands the text, the position after the
// date and the date to finish(), which parses what may follow (a time, or nothing).
template <typename Finish> ParsedValue with_leading_date(std::string_view raw, DateOrder order, Finish &&finish) {
	std::string folded = fold_fullwidth(raw);
	std::string_view s = trim(folded);
	if (s.empty())
		return ParsedValue::failure("is empty");
	size_t pos = 0;
	DateParts d;
	std::string error = read_date(s, pos, d, order);
	if (!error.empty())
		return ParsedValue::failure(error);
	return finish(s, pos, d);
}

ParsedValue parse_date(std::string_view raw, DateOrder order) {
	return with_leading_date(raw, order, [](std::string_view s, size_t pos, const DateParts &d) {
		std::string_view rest = trim(s.substr(pos));
		// Excel writes date cells as "2024-03-05 00:00:00"; a non-midnight time is a timestamp, not a date.
		if (!rest.empty() && rest != "0:00" && rest != "00:00" && rest != "0:00:00" && rest != "00:00:00")
			return ParsedValue::failure("is not a date (unexpected text after the date)");
		return ParsedValue::success(format_date(d));
	});
}

ParsedValue parse_timestamp(std::string_view raw, DateOrder order) {
	return with_leading_date(raw, order, [](std::string_view s, size_t pos, const DateParts &d) {
		int hour = 0, minute = 0, second = 0;
		std::string fraction;
		if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
			++pos;
			skip_spaces(s, pos);
			if (!read_number(s, pos, 2, hour))
				return ParsedValue::failure("is not a timestamp (hour missing)");
			bool chinese = consume(s, pos, "时") || consume(s, pos, "点");
			if (!chinese && !consume(s, pos, ":"))
				return ParsedValue::failure("is not a timestamp (expected HH:MM)");
			if (!read_number(s, pos, 2, minute))
				return ParsedValue::failure("is not a timestamp (minute missing)");
			if (chinese) {
				consume(s, pos, "分");
				if (read_number(s, pos, 2, second))
					consume(s, pos, "秒");
			} else if (consume(s, pos, ":")) {
				if (!read_number(s, pos, 2, second))
					return ParsedValue::failure("is not a timestamp (second missing)");
				if (consume(s, pos, ".") || consume(s, pos, ",")) {
					while (pos < s.size() && is_digit(s[pos]) && fraction.size() < 6)
						fraction.push_back(s[pos++]);
					while (pos < s.size() && is_digit(s[pos]))
						++pos;
				}
			}
		} else if (pos < s.size() && s[pos] != '+' && s[pos] != 'Z') {
			return ParsedValue::failure("is not a timestamp");
		}
		if (hour > 24 || minute > 59 || second > 59 || (hour == 24 && (minute || second)))
			return ParsedValue::failure("has an impossible time of day");
		std::string offset;
		skip_spaces(s, pos);
		if (pos < s.size()) {
			if (s[pos] == 'Z' && pos + 1 == s.size()) {
				offset = "+00:00";
				++pos;
			} else if (s[pos] == '+' || s[pos] == '-') {
				char sign = s[pos++];
				int oh = 0, om = 0;
				size_t p0 = pos;
				if (!read_number(s, pos, 2, oh) || pos - p0 != 2)
					return ParsedValue::failure("has a malformed UTC offset");
				consume(s, pos, ":");
				if (pos < s.size() && !read_number(s, pos, 2, om))
					return ParsedValue::failure("has a malformed UTC offset");
				if (oh > 15 || om > 59)
					return ParsedValue::failure("has a malformed UTC offset");
				char buf[16];
				std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, oh, om);
				offset = buf;
			}
			if (pos != s.size())
				return ParsedValue::failure("is not a timestamp (unexpected text at the end)");
		}
		char buf[32];
		std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", hour, minute, second);
		std::string out = format_date(d) + buf;
		if (!fraction.empty())
			out += "." + fraction;
		return ParsedValue::success(out + offset);
	});
}

ParsedValue parse_integer(std::string_view raw, long long min_value, long long max_value) {
	std::string folded = fold_fullwidth(raw);
	std::string digits;
	for (char c : trim(folded))
		if (c != ',')
			digits.push_back(c);
	if (digits.empty())
		return ParsedValue::failure("is empty");
	long long v = 0;
	auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
	if (ec == std::errc::result_out_of_range)
		return ParsedValue::failure("is out of range");
	if (ec != std::errc{} || end != digits.data() + digits.size())
		return ParsedValue::failure("is not a whole number");
	if (v < min_value || v > max_value)
		return ParsedValue::failure("is out of range (" + std::to_string(min_value) + " to " +
		                            std::to_string(max_value) + ")");
	return ParsedValue::success(std::to_string(v));
}

ParsedValue parse_boolean(std::string_view raw) {
	std::string folded = fold_fullwidth(raw);
	std::string_view s = trim(folded);
	for (std::string_view t : {"true", "t", "yes", "y", "1", "是", "√", "✓"})
		if (iequals(s, t))
			return ParsedValue::success("true");
	for (std::string_view f : {"false", "f", "no", "n", "0", "否", "×", "✗"})
		if (iequals(s, f))
			return ParsedValue::success("false");
	return ParsedValue::failure("is not a yes/no value (use 是/否, true/false, yes/no or 1/0)");
}

ParsedValue parse_currency(std::string_view raw) {
	std::string folded = fold_fullwidth(raw);
	std::string code(trim(folded));
	for (char &c : code)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	if (code.size() != 3 || !std::isupper(static_cast<unsigned char>(code[0])) ||
	    !std::isupper(static_cast<unsigned char>(code[1])) || !std::isupper(static_cast<unsigned char>(code[2])))
		return ParsedValue::failure("is not an ISO 4217 currency code (e.g. CNY)");
	return ParsedValue::success(code);
}

bool is_code(std::string_view s) {
	if (s.empty() || s.size() > 64 || !std::isalnum(static_cast<unsigned char>(s[0])))
		return false;
	for (char c : s)
		if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
			return false;
	return true;
}

bool iequals(std::string_view a, std::string_view b) {
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); ++i)
		if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
			return false;
	return true;
}

std::string name_key(std::string_view name) {
	std::string folded = fold_fullwidth(name); // （有限） → (有限), Ｌｔｄ → Ltd, U+3000 → space
	std::vector<std::string> words(1);
	auto split = [&words] {
		if (!words.back().empty())
			words.emplace_back();
	};
	for (size_t i = 0; i < folded.size();) {
		auto c = static_cast<unsigned char>(folded[i]);
		if (c < 0x80) {
			if (std::isalnum(c))
				words.back().push_back(static_cast<char>(std::tolower(c)));
			else if (c == '(' || c == ')') { // kept: （有限） is a suffix variant, (杭州分公司) part of a name
				split();
				words.back().push_back(static_cast<char>(c));
				split();
			} else if (c != '\'') // Women's = Womens; any other mark separates words
				split();
			++i;
			continue;
		}
		std::string_view rest = std::string_view(folded).substr(i);
		bool dropped = false;
		for (std::string_view quote : {"\u2019", "\u2018"}) // ’ ‘ as '
			if (starts_with(rest, quote)) {
				i += quote.size();
				dropped = true;
			}
		for (std::string_view mark : {"\u00A0", "\u00B7", "\u201C", "\u201D", "\u3001", "\u3002", "\u2014"})
			if (!dropped && starts_with(rest, mark)) { // no-break space, ·, “ ”, 、, 。, —
				i += mark.size();
				split();
				dropped = true;
			}
		if (!dropped)
			words.back().push_back(folded[i++]);
	}
	if (words.back().empty())
		words.pop_back();
	// Limited company in English: the last word or two.
	static const std::vector<std::vector<std::string>> limited = {
	    {"company", "limited"}, {"co", "limited"}, {"co", "ltd"}, {"limited"}, {"ltd"}};
	for (const auto &suffix : limited)
		if (words.size() > suffix.size() && std::equal(suffix.rbegin(), suffix.rend(), words.rbegin())) {
			words.resize(words.size() - suffix.size());
			words.push_back("ltd");
			break;
		}
	std::string key;
	for (const auto &w : words)
		key += w;
	// Limited company in Chinese.
	for (std::string_view variant : {"(有限)公司", "有限责任公司", "(有限公司)", "(有限)", "有限"})
		if (key.size() > variant.size() && ends_with(key, variant)) {
			key = key.substr(0, key.size() - variant.size()) + "有限公司";
			break;
		}
	return key;
}

} // namespace oversight::loader
