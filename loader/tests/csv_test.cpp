// CSV parsing (libcsv) with line numbers, encodings and the file-level reader.
#include "core/copy_text.hpp"
#include "core/csv_reader.hpp"
#include "core/csv_source.hpp"
#include "core/encoding.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

using namespace oversight::loader;
using namespace std::string_literals;

namespace {

struct Collected {
	std::uint64_t line;
	std::vector<std::string> fields;
	bool unterminated;
};

std::vector<Collected> parse(const std::string &text, size_t chunk = 3) {
	std::vector<Collected> out;
	CsvParser p([&](const RawRecord &r) {
		out.push_back({r.line_no, {r.fields.begin(), r.fields.end()}, r.unterminated_quote});
	});
	for (size_t i = 0; i < text.size(); i += chunk)
		p.feed(std::string_view(text).substr(i, chunk)); // records span chunk boundaries
	p.finish();
	return out;
}

std::string write_temp(const std::string &name, const std::string &bytes) {
	std::string path = ::testing::TempDir() + name;
	std::ofstream(path, std::ios::binary) << bytes;
	return path;
}

} // namespace

TEST(CsvParser, QuotedFieldsEmbeddedNewlinesAndLineNumbers) {
	auto r = parse("a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n\r\n\"multi\nline\",z\nlast,row");
	ASSERT_EQ(r.size(), 4u);
	EXPECT_EQ(r[1].fields, (std::vector<std::string>{"x, y", "he said \"hi\""}));
	EXPECT_EQ(r[1].line, 2u);
	EXPECT_EQ(r[2].line, 4u); // the blank line 3 still counts
	EXPECT_EQ(r[2].fields[0], "multi\nline");
	EXPECT_EQ(r[3].line, 6u); // after a record spanning lines 4-5
	EXPECT_EQ(r[3].fields, (std::vector<std::string>{"last", "row"}));
}

TEST(CsvParser, UnterminatedQuoteAtEndIsFlagged) {
	auto r = parse("a,b\n1,\"never closed\n");
	ASSERT_EQ(r.size(), 2u);
	EXPECT_FALSE(r[0].unterminated);
	EXPECT_TRUE(r[1].unterminated);
}

TEST(CsvQuote, QuotesOnlyWhenNeeded) {
	EXPECT_EQ(csv_quote("plain"), "plain");
	EXPECT_EQ(csv_quote("a,b"), "\"a,b\"");
	EXPECT_EQ(csv_quote("say \"x\""), "\"say \"\"x\"\"\"");
}

TEST(Encoding, DetectsUtf8Gb18030AndBoms) {
	EXPECT_EQ(detect_encoding("编号,金额\n", true), Encoding::utf8);
	EXPECT_EQ(detect_encoding("\xB1\xE0\xBA\xC5,\xBD\xF0\xB6\xEE\n", true), Encoding::gb18030); // 编号,金额 in GBK
	EXPECT_EQ(detect_encoding("\xEF\xBB\xBFx", true), Encoding::utf8);
	// A sample cut inside a UTF-8 character is still UTF-8.
	std::string cut = "金额";
	EXPECT_EQ(detect_encoding(cut.substr(0, 4), false), Encoding::utf8);
	// Whole, the same bytes are neither UTF-8 nor plausible Chinese (two rare GBK characters): no guess.
	EXPECT_EQ(detect_encoding(cut.substr(0, 4), true), std::nullopt);
	EXPECT_EQ(parse_encoding_name("GBK"), Encoding::gb18030);
	EXPECT_EQ(parse_encoding_name("latin1").name(), "LATIN1");
	EXPECT_THROW(parse_encoding_name("no-such-encoding"), std::invalid_argument);
}

TEST(Decoder, Gb18030ToUtf8AndInvalidBytes) {
	Decoder d(Encoding::gb18030);
	std::string out;
	ASSERT_TRUE(d.decode("\xB1\xE0\xBA\xC5", out));
	EXPECT_EQ(out, "编号");
	out.clear();
	EXPECT_FALSE(d.decode("\xB1", out)); // a lead byte alone
	Decoder u(Encoding::utf8);
	EXPECT_FALSE(u.decode("\xB1\xE0", out));
}

TEST(CsvSource, ReadsGb18030WithBomAndFlagsBadRows) {
	// GB18030 BOM, header 编号,金额, a good row, then a row with a stray lead byte.
	std::string path =
	    write_temp("gb.csv", "\x84\x31\x95\x33\xB1\xE0\xBA\xC5,\xBD\xF0\xB6\xEE\r\nP1,10\r\nP2,\xFF\r\n");
	CsvSource src(path, std::nullopt);
	EXPECT_EQ(src.encoding(), Encoding::gb18030);
	std::vector<std::string> header;
	struct Row {
		std::uint64_t line_no;
		std::vector<std::string> cells;
		bool decode_failed;
	};
	std::vector<Row> rows; // the cells are views valid during the callback only: copied here
	src.run([&](const CsvRow &h) { header = h.cell_strings(); },
	        [&](const CsvRow &r) {
		        rows.push_back({r.line_no, r.cell_strings(), r.decode_failed});
	        },
	        [](std::uint64_t) {});
	EXPECT_EQ(header, (std::vector<std::string>{"编号", "金额"}));
	ASSERT_EQ(rows.size(), 2u);
	EXPECT_FALSE(rows[0].decode_failed);
	EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"P1", "10"}));
	EXPECT_TRUE(rows[1].decode_failed);
	EXPECT_EQ(rows[1].cells[1], "\\xFF");
	EXPECT_EQ(rows[1].line_no, 3u);
	EXPECT_EQ(src.sha256_hex().size(), 64u);
}

TEST(CsvSource, Utf8CellsAreReadInPlaceAndACharacterSplitByACommaIsRefused) {
	// Row 2 is valid UTF-8 (cells used in place); row 3 splits 张 (E5 BC A0) by a comma: the bytes of the
	// record are valid UTF-8 as a whole, but neither cell is, so the row must fail to decode.
	std::string path = write_temp("split.csv", "a,b,c\n\xE5\xBC\xA0\xE4\xB8\x89,\"x,\"\"y\"\"\",z\n\xE5,\xBC\xA0,q\n");
	CsvSource src(path, Encoding::utf8);
	std::vector<std::vector<std::string>> cells;
	std::vector<bool> failed;
	src.run([](const CsvRow &) {},
	        [&](const CsvRow &r) {
		        cells.push_back(r.cell_strings());
		        failed.push_back(r.decode_failed);
	        },
	        [](std::uint64_t) {});
	ASSERT_EQ(cells.size(), 2u);
	EXPECT_FALSE(failed[0]);
	EXPECT_EQ(cells[0], (std::vector<std::string>{"张三", "x,\"y\"", "z"}));
	EXPECT_TRUE(failed[1]);
	EXPECT_EQ(cells[1], (std::vector<std::string>{"\\xE5", "\\xBC\\xA0", "q"}));
}

TEST(CsvSource, EmptyFileAndMissingFileAreInputErrors) {
	EXPECT_THROW(CsvSource("/nonexistent/x.csv", std::nullopt), InputError);
	std::string path = write_temp("empty.csv", "");
	CsvSource src(path, std::nullopt);
	EXPECT_THROW(src.run([](const CsvRow &) {}, [](const CsvRow &) {}, [](std::uint64_t) {}), InputError);
}

TEST(Encoding, AFewGbkLinesInAUtf8FileKeepItUtf8) {
	std::string utf8_line = "P1,张三,办公用品\n";
	std::string sample = "编号,收款人,用途\n" + utf8_line + utf8_line + "P9,\xD5\xC5\xC8\xFD,x\n" + utf8_line;
	EXPECT_EQ(detect_encoding(sample, true), Encoding::utf8);
	std::string gbk_line = "P1,\xD5\xC5\xC8\xFD,\xB0\xEC\xB9\xAB\n";
	EXPECT_EQ(detect_encoding("\xB1\xE0\xBA\xC5\n" + gbk_line + gbk_line, true), Encoding::gb18030);
}

TEST(CopyText, SpecialBytesAreFoundAnywhereAndEscaped) {
	EXPECT_FALSE(has_copy_special_bytes(""));
	EXPECT_FALSE(has_copy_special_bytes("PAY00000001EDU01供应商00001有限公司7920.01"));
	for (char special : {'\\', '\t', '\n', '\r', '\0'})
		for (size_t at = 0; at < 19; ++at) { // every position within and after the 8-byte words
			std::string text(19, 'x');
			text[at] = special;
			EXPECT_TRUE(has_copy_special_bytes(text)) << int(special) << " at " << at;
		}
	std::string line;
	copy_append_field(line, std::optional<std::string_view>("a\tb\\c\nd\re"), true);
	copy_append_field(line, std::optional<std::string_view>());
	EXPECT_EQ(line, "a\\tb\\\\c\\nd\\re\t\\N");
}

// The plain-line fast path must give exactly what libcsv alone gives: records, fields and line numbers.
TEST(CsvParser, FastPathAgreesWithLibcsvOnRandomInput) {
	const std::vector<std::string> pieces = {"a", "PAY001", "张三",         "1,234.50",      " x ",        "\t",
	                                         " ", "\"q\"",  "\"a,b\"",      "\"x\"\"y\"",    "\"l1\nl2\"", "\"\r\n\"",
	                                         "",  "y\"z",   "\xE5\xBC\xA0", "\"unterminated"};
	const std::vector<std::string> ends = {"\n", "\r\n", "\r", "\n\n", "\r\n\r\n", " \n", "\n   \n"};
	std::mt19937 rng(42);
	auto pick = [&](const std::vector<std::string> &v) { return v[rng() % v.size()]; };
	auto parse = [](const std::string &input, bool fast, std::mt19937 &chunks) {
		std::vector<std::string> out;
		CsvParser p(
		    [&](const RawRecord &r) {
			    std::string rec = std::to_string(r.line_no) + (r.unterminated_quote ? "U" : "") + ":";
			    for (auto f : r.fields)
				    rec += "[" + std::string(f) + "]";
			    out.push_back(rec);
		    },
		    ',', fast);
		for (size_t pos = 0; pos < input.size();) {
			size_t n = std::min<size_t>(input.size() - pos, 1 + chunks() % 40);
			p.feed(std::string_view(input).substr(pos, n));
			pos += n;
		}
		p.finish();
		return out;
	};
	for (int round = 0; round < 400; ++round) {
		std::string input;
		int lines = 1 + static_cast<int>(rng() % 8);
		for (int l = 0; l < lines; ++l) {
			int fields = 1 + static_cast<int>(rng() % 4);
			for (int f = 0; f < fields; ++f)
				input += (f ? "," : "") + pick(pieces);
			if (l + 1 < lines || rng() % 2)
				input += pick(ends);
		}
		std::mt19937 c1(round), c2(round + 1000);
		EXPECT_EQ(parse(input, true, c1), parse(input, false, c2)) << "input: " << input;
	}
}

// The raw text of refused input: PostgreSQL refuses NUL and invalid UTF-8 in text.
TEST(Encoding, StorableTextEscapesOnlyNulAndInvalidBytes) {
	EXPECT_EQ(storable_text("张三 ok"), "张三 ok");
	EXPECT_EQ(storable_text("a\0b"s), "a\\x00b");
	EXPECT_EQ(storable_text("\xE5\xBC\xA0\xE5\xBC"), "张\\xE5\\xBC"); // a character cut short
	EXPECT_EQ(storable_text("\xC0\xAF!"), "\\xC0\\xAF!");             // an overlong slash
	EXPECT_EQ(invalid_utf8_at("ab\xFF"), 2u);
	EXPECT_EQ(invalid_utf8_at("张三"), std::string_view::npos);
}

// Issue 11: a Windows-1252 export was once stored as GB18030 mojibake ("Women抯"). Detection now takes GB18030
// only for plausible Chinese and otherwise asks; any encoding iconv knows can be named.
TEST(Encoding, Windows1252IsNeverTakenForGb18030) {
	std::string spend = "Body Name,Supplier Name,Amount\nFylde Council,Fylde Coast Women\x92s Aid,\xA3"
	                    "500.00\nFylde Council,Caf\xE9 Rouge,(50.00)\n";
	std::string why;
	EXPECT_EQ(detect_encoding(spend, true, &why), std::nullopt);
	EXPECT_NE(why.find("not plausibly Chinese"), std::string::npos);
	EXPECT_EQ(detect_encoding("Supplier\nWomen\x92s Aid\n", true), std::nullopt); // 抯 is valid GBK, but rare
	// Real GBK text with a rare name character among common ones is still Chinese.
	EXPECT_EQ(detect_encoding("\xD5\xC5\xC8\xFD,\xB0\xEC\xB9\xAB\xD3\xC3\xC6\xB7,\x88\x4C\n", true), Encoding::gb18030);
	Encoding cp1252 = parse_encoding_name("windows-1252");
	EXPECT_EQ(cp1252.name(), "WINDOWS-1252");
	Decoder d(cp1252);
	std::string out;
	ASSERT_TRUE(d.decode("Women\x92s Aid \x80\x35 \xA3\x31", out)); // one byte → up to 3 in UTF-8
	EXPECT_EQ(out, "Women’s Aid €5 £1");
	out.clear();
	EXPECT_FALSE(d.decode("\x81", out)); // undefined in Windows-1252: the row is refused, not guessed
	for (const char *wide : {"UTF-16", "utf-32le", "UCS-2", "ISO-2022-JP", "UTF-7"})
		EXPECT_THROW(parse_encoding_name(wide), std::invalid_argument) << wide;
	std::string path = write_temp("cp1252.csv", spend);
	EXPECT_THROW(CsvSource(path, std::nullopt), InputError);
	CsvSource src(path, cp1252);
	std::vector<std::vector<std::string>> rows;
	src.run([](const CsvRow &) {}, [&](const CsvRow &r) { rows.push_back(r.cell_strings()); }, [](std::uint64_t) {});
	ASSERT_EQ(rows.size(), 2u);
	EXPECT_EQ(rows[0][1], "Fylde Coast Women’s Aid");
	EXPECT_EQ(rows[0][2], "£500.00");
	EXPECT_EQ(rows[1][1], "Café Rouge");
	EXPECT_EQ(CsvSource(path, cp1252).read_header(),
	          (std::vector<std::string>{"Body Name", "Supplier Name", "Amount"}));
}
