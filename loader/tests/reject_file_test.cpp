// The reject file: formula cells neutralised (OWASP CSV injection), NUL written \x00.
#include "core/reject_file.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace oversight::loader;
using namespace std::string_literals;

// Formula cells are neutralised in the reject file, and only there (the database keeps the exact text).
TEST(RejectFile, FormulaCellsGetALeadingQuote) {
	EXPECT_EQ(reject_cell("=1+1"), "'=1+1");
	EXPECT_EQ(reject_cell("-2+3"), "'-2+3");
	EXPECT_EQ(reject_cell("@SUM(1)"), "'@SUM(1)");
	EXPECT_EQ(reject_cell("+cmd|x"), "'+cmd|x");
	EXPECT_EQ(reject_cell("\tx"), "'\tx");
	EXPECT_EQ(reject_cell("\rx"), "\"'\rx\""); // quoted: it holds a CR
	EXPECT_EQ(reject_cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	EXPECT_EQ(reject_cell("张三"), "张三");
	EXPECT_EQ(reject_cell("1-2"), "1-2");
	EXPECT_EQ(reject_cell(""), "");
	EXPECT_EQ(reject_cell("a\0b"s), "a\\x00b");

	std::string path = ::testing::TempDir() + "formula.csv.rejects.csv";
	{
		RejectFile rejects(path, {"=header", "收款人"});
		rejects.add(7, "amount", "is negative", {"=HYPERLINK(\"http://evil\")", "-5"});
		EXPECT_EQ(rejects.commit(), path);
	}
	std::ifstream in(path, std::ios::binary);
	EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}),
	          "\xEF\xBB\xBF'=header,收款人,reject_line,reject_field,reject_reason\r\n"
	          "\"'=HYPERLINK(\"\"http://evil\"\")\",'-5,7,amount,is negative\r\n");
}
