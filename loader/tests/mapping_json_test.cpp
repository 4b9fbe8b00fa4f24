// Issue 13: one mapping language for files and tables — a .map file as the watch() JSON stored in
// oversight.mapping, and back, with what only one side can say refused (core/mapping_json.hpp).
#include "core/mapping_json.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace oversight::loader;

namespace {

const RecordKind &payments() {
	return *find_record_kind("payments");
}

const char *zfpz_map = R"(# a treasury table's export
[columns]
payment_code    = 凭证号
payer_unit_code = 单位编码
payee_name      = 收款人 | 收款单位
amount          = 金额
paid_on         = 支付日期
payment_method  = 支付方式
status          = 状态 | default:paid
currency        = const:CNY
[values.payment_method]
cash     = 现金 | 现金支付
transfer = 转账
[values.expense_type]
consulting = 咨询费
)";

std::string refusal(const std::function<void()> &f) {
	try {
		f();
	} catch (const MappingError &e) {
		return e.what();
	}
	return "no error";
}

} // namespace

TEST(MappingJsonTest, AMapFileBecomesTheWatchLanguage) {
	Mapping m = Mapping::parse(zfpz_map, "zfpz.map", payments());
	nlohmann::json j = watch_mapping_json(m, payments());
	EXPECT_EQ(j["payee_name"], nlohmann::json::parse(R"({"column": ["收款人", "收款单位"]})"));
	EXPECT_EQ(j["currency"], nlohmann::json::parse(R"({"const": "CNY"})"));
	EXPECT_EQ(j["status"], nlohmann::json::parse(R"({"column": ["状态"], "default": "paid"})"));
	// Value aliases as written (a table compares them exactly), onto canonical values.
	EXPECT_EQ(j["payment_method"],
	          nlohmann::json::parse(R"({"column": ["支付方式"], "values": {"现金": "cash", "现金支付": "cash", "转账": "transfer"}})"));
	// Aliases of a field without header names: the field's own name, as a file's header matches it.
	EXPECT_EQ(j["expense_type"], nlohmann::json::parse(R"({"column": ["expense_type"], "values": {"咨询费": "consulting"}})"));
	EXPECT_FALSE(j.contains("purpose"));
	EXPECT_EQ(database_record_kind(payments()), "payment");
	EXPECT_EQ(database_record_kind(*find_record_kind("enforcement")), "enforcement");
}

TEST(MappingJsonTest, TheStoredFormReadsBackAsTheSameFileMapping) {
	Mapping m = Mapping::parse(zfpz_map, "zfpz.map", payments());
	Mapping back = Mapping::parse(map_text_of(watch_mapping_json(m, payments()), payments()), "stored", payments());
	EXPECT_EQ(back.column_aliases, m.column_aliases);
	EXPECT_EQ(back.value_aliases.at("payment_method"), m.value_aliases.at("payment_method"));
	EXPECT_EQ(back.value_aliases.at("expense_type"), m.value_aliases.at("expense_type"));
	EXPECT_EQ(back.constants, m.constants);
	EXPECT_EQ(back.defaults, m.defaults);
	// The shipped payments.map too: one language, nothing lost either way.
	std::ifstream in(std::string(LOADER_DIR) + "/mappings/payments.map");
	std::stringstream text;
	text << in.rdbuf();
	Mapping shipped = Mapping::parse(text.str(), "payments.map", payments());
	Mapping shipped_back =
	    Mapping::parse(map_text_of(watch_mapping_json(shipped, payments()), payments()), "stored", payments());
	EXPECT_EQ(shipped_back.column_aliases, shipped.column_aliases);
	EXPECT_EQ(shipped_back.value_aliases, shipped.value_aliases);
}

TEST(MappingJsonTest, WhatOnlyOneSideCanSayIsRefusedInBothLanguages) {
	auto to_json = [](const std::string &map) {
		return refusal([&] { watch_mapping_json(Mapping::parse(map, "m.map", payments()), payments()); });
	};
	EXPECT_EQ(to_json("encoding = gb18030\n[columns]\namount = je\n"),
	          "encoding =（表的映射不能使用） / encoding = cannot be used for a table (its columns are typed)");
	EXPECT_NE(to_json("date_order = dmy\n").find("date_order = cannot be used for a table"), std::string::npos);
	EXPECT_NE(to_json("key = 'F' + 凭证号\n").find("key = cannot be used for a table"), std::string::npos);
	EXPECT_NE(to_json("[columns]\npayee_party_code = by_name:收款人\n").find("by_name: of field payee_party_code"),
	          std::string::npos);
	EXPECT_NE(to_json("[columns]\nrefund_of = key:'F' + 原单号\n").find("字段 refund_of 的 key:"), std::string::npos);
	auto to_map = [](const char *json) {
		return refusal([&] { map_text_of(nlohmann::json::parse(json), payments()); });
	};
	EXPECT_NE(to_map(R"({"@key": ["pzh"]})").find("\"@key\" (a table's key columns) cannot be used for a file"),
	          std::string::npos);
	EXPECT_NE(to_map(R"({"payment_method": {"values": {"现金|现钞": "cash"}}})").find("holds | or a line break"),
	          std::string::npos);
	EXPECT_NE(to_map(R"({"nonsense": "x"})").find("has no field \"nonsense\""), std::string::npos);
	EXPECT_NE(to_map(R"({"amount": {"unlisted": "x"}})").find("a file cannot use"), std::string::npos);
}
