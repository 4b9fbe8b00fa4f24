// Value forms of Chinese finance exports: amounts, dates, timestamps, integers, booleans, currencies.
#include "core/values.hpp"

#include <gtest/gtest.h>

using namespace oversight::loader;

TEST(Amount, AcceptsSeparatorsFullWidthAndCurrencySigns) {
	EXPECT_EQ(*parse_amount("1,234.50").value, "1234.50");
	EXPECT_EQ(*parse_amount("１，２３４．５").value, "1234.5");
	EXPECT_EQ(*parse_amount("¥1,000,000").value, "1000000");
	EXPECT_EQ(*parse_amount("￥ 88.8 元").value, "88.8");
	EXPECT_EQ(*parse_amount(" 007 ").value, "7");
	EXPECT_EQ(*parse_amount(".5").value, "0.5");
	EXPECT_EQ(*parse_amount("999999999999999.9999").value, "999999999999999.9999");
}

TEST(Amount, RefusesWithAReason) {
	EXPECT_EQ(parse_amount("12,3x").error, "is not a number");
	EXPECT_EQ(parse_amount("1,23").error, "is not a number (misplaced thousands separator)");
	EXPECT_EQ(parse_amount("12,34,567").error, "is not a number (misplaced thousands separator)");
	EXPECT_EQ(parse_amount("-2+3").error, "is not a number");
	EXPECT_EQ(parse_amount("(-5)").error, "is not a number (two minus signs)");
	EXPECT_NE(parse_amount("1000000000000000").error.find("too large"), std::string::npos);
	EXPECT_NE(parse_amount("1.23457E+11").error.find("scientific"), std::string::npos);
	EXPECT_EQ(parse_amount("1.23456").error, "has more than 4 decimal places");
	EXPECT_FALSE(parse_amount("").ok());
	EXPECT_FALSE(parse_amount(".").ok());
}

TEST(Date, ReadsChineseSlashedDottedAndCompactForms) {
	for (const char *in : {"2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "2024 年 3 月 5 日",
	                       "２０２４年３月５日", "20240305", "2024-03-05 00:00:00"})
		EXPECT_EQ(*parse_date(in).value, "2024-03-05") << in;
	EXPECT_EQ(*parse_date("2024-02-29").value, "2024-02-29");
}

TEST(Date, RefusesImpossibleOrMalformedDates) {
	EXPECT_EQ(parse_date("2023-02-29").error, "is not a real calendar date");
	EXPECT_EQ(parse_date("2024-13-01").error, "is not a real calendar date");
	EXPECT_FALSE(parse_date("2024-03").ok());
	EXPECT_FALSE(parse_date("05/03/2024").ok());
	EXPECT_FALSE(parse_date("2024-03-05 10:30").ok());
	EXPECT_EQ(parse_date("1850-01-01").error, "has a year outside 1900-2200");
}

TEST(Timestamp, KeepsOffsetsAndLocalTimes) {
	EXPECT_EQ(*parse_timestamp("2024-03-05 9:30").value, "2024-03-05 09:30:00");
	EXPECT_EQ(*parse_timestamp("2024年3月5日 9时30分").value, "2024-03-05 09:30:00");
	EXPECT_EQ(*parse_timestamp("2016-06-21T13:22:04.533286+03:00").value, "2016-06-21 13:22:04.533286+03:00");
	EXPECT_EQ(*parse_timestamp("2017-01-31T00:00:00.000Z").value, "2017-01-31 00:00:00.000+00:00");
	EXPECT_EQ(*parse_timestamp("2024-03-05T10:00:00+0800").value, "2024-03-05 10:00:00+08:00");
	EXPECT_EQ(*parse_timestamp("2024/3/5").value, "2024-03-05 00:00:00");
	EXPECT_FALSE(parse_timestamp("2024-03-05 25:00").ok());
	EXPECT_FALSE(parse_timestamp("2024-03-05 10:00 tomorrow").ok());
}

TEST(Integer, RangeAndSeparators) {
	EXPECT_EQ(*parse_integer("1,024", 0, 5000).value, "1024");
	EXPECT_NE(parse_integer("2300", 1990, 2200).error.find("out of range"), std::string::npos);
	EXPECT_EQ(parse_integer("99999999999999999999", 0, 10).error, "is out of range");
	EXPECT_EQ(parse_integer("3.5", 0, 10).error, "is not a whole number");
}

TEST(Boolean, ChineseAndEnglish) {
	EXPECT_EQ(*parse_boolean("是").value, "true");
	EXPECT_EQ(*parse_boolean("否").value, "false");
	EXPECT_EQ(*parse_boolean("Yes").value, "true");
	EXPECT_FALSE(parse_boolean("maybe").ok());
}

TEST(Currency, UpperCasesIsoCodes) {
	EXPECT_EQ(*parse_currency("mdl").value, "MDL");
	EXPECT_FALSE(parse_currency("人民币").ok()); // aliases come from the mapping file
	EXPECT_FALSE(parse_currency("CN").ok());
}

TEST(Amount, NegativesOfCreditNotesAndRefunds) {
	for (const char *in : {"-50", "(50.00)", "£(50.00)", "-£50.00", "50.00-", "−50.00", "GBP -50", "( 50 )"})
		EXPECT_TRUE(is_negative_amount(*parse_amount(in).value)) << in;
	EXPECT_EQ(*parse_amount("(1,234.50)").value, "-1234.50");
	EXPECT_EQ(*parse_amount("£1,234.50").value, "1234.50");
	EXPECT_EQ(*parse_amount("-0.00").value, "0.00"); // no negative zero
	EXPECT_EQ(compare_amounts("999.99", "1000"), -1);
	EXPECT_EQ(compare_amounts("1000.0", "1000"), 0);
	EXPECT_EQ(compare_amounts("-5", "1"), -1);
	EXPECT_EQ(compare_amounts("0.5", "0.25"), 1);
}

TEST(Date, DeclaredOrdersAndMonthNamesNeverGuessed) {
	EXPECT_EQ(*parse_date("05/03/2024", DateOrder::dmy).value, "2024-03-05");
	EXPECT_EQ(*parse_date("03/05/2024", DateOrder::mdy).value, "2024-03-05");
	EXPECT_EQ(*parse_date("24/03/05", DateOrder::ymd).value, "2024-03-05");
	EXPECT_EQ(*parse_date("5.3.24", DateOrder::dmy).value, "2024-03-05");
	EXPECT_EQ(*parse_date("2024-03-05", DateOrder::mdy).value, "2024-03-05"); // a 4-digit year first is never ambiguous
	for (const char *in : {"03-Apr-24", "3 April 2024", "03 APR 2024", "April 3, 2024", "Apr. 3 2024", "3-Apr-2024"})
		EXPECT_EQ(*parse_date(in).value, "2024-04-03") << in; // month names need no declared order
	EXPECT_EQ(*parse_date("30 Sept 1999").value, "1999-09-30");
	EXPECT_NE(parse_date("05/03/2024").error.find("declare date_order = dmy, mdy or ymd"), std::string::npos);
	EXPECT_EQ(parse_date("31/04/2024", DateOrder::dmy).error, "is not a real calendar date");
	EXPECT_EQ(parse_date("13/13/2024", DateOrder::mdy).error, "is not a real calendar date");
	EXPECT_FALSE(parse_date("3 Foo 2024").ok());
	EXPECT_FALSE(parse_date("05/03/2024", DateOrder::dmy).error.size());
	EXPECT_EQ(*parse_timestamp("05/03/2024 14:30", DateOrder::dmy).value, "2024-03-05 14:30:00");
	EXPECT_EQ(*parse_date_order(" DMY "), DateOrder::dmy);
	EXPECT_FALSE(parse_date_order("dym"));
}

TEST(NameKey, FullWidthSpacesAndCompanySuffixesAreOneName) {
	std::string key = name_key("杭州文汇办公用品有限公司");
	for (const char *same : {"杭州文汇办公用品有限责任公司", "杭州文汇办公用品（有限）", "杭州文汇办公用品 有限公司",
	                         "杭州文汇办公用品(有限)公司", "杭州文汇办公用品　有限公司", "杭州文汇办公用品有限"})
		EXPECT_EQ(name_key(same), key) << same;
	std::string ltd = name_key("Fylde Coast Women's Aid Ltd.");
	EXPECT_EQ(ltd, "fyldecoastwomensaidltd");
	for (const char *same : {"FYLDE COAST WOMENS AID LIMITED", "Fylde Coast Women’s Aid Ltd",
	                         "Ｆｙｌｄｅ Coast Womens Aid Co. Ltd", "Fylde Coast Women's Aid Company Limited"})
		EXPECT_EQ(name_key(same), ltd) << same;
	EXPECT_NE(name_key("Deco Ltd"), name_key("De Ltd")); // suffixes are words, not letters
	EXPECT_NE(name_key("中国银行(杭州分行)"), name_key("中国银行"));
	EXPECT_EQ(name_key("Ltd"), "ltd"); // a suffix alone is the name
}
