// Which rows an alert names in a watched table, and the query reading them whole
// (oversight/core/recheck.hpp): key columns by their names, aggregate keys by mapped canonical fields.
#include <gtest/gtest.h>

#include "oversight/core/recheck.hpp"
#include "oversight/core/sql_names.hpp"

using namespace oversight::core;

namespace {
// treasury.pay watched as payments: voucher_no -> payment_code, ht -> contract_code; key voucher_no.
TableShape treasury() {
	TableShape s;
	s.kind = RecordKind::Payment;
	s.table_name = "treasury.pay";
	s.fields = {{field_index(RecordKind::Payment, "payment_code"), "voucher_no", "character varying"},
	            {field_index(RecordKind::Payment, "contract_code"), "\"HT\"", "text"}};
	s.key_columns = {"voucher_no"};
	s.quoted_key_columns = {"voucher_no"};
	return s;
}
} // namespace

TEST(RecheckTest, AKeyColumnNamesTheRow) {
	auto columns = recheck_columns(treasury(), {"voucher_no"});
	ASSERT_EQ(columns.size(), 1u);
	EXPECT_EQ(columns[0].key_index, 0);
	EXPECT_EQ(columns[0].bound_field, -1);
	EXPECT_EQ(recheck_query(treasury(), columns), "SELECT t FROM treasury.pay t WHERE t.voucher_no = $1");
}

TEST(RecheckTest, AnAggregateKeyNamesTheRowsOfAMappedField) {
	auto columns = recheck_columns(treasury(), {"contract_code"});
	ASSERT_EQ(columns.size(), 1u);
	EXPECT_EQ(columns[0].bound_field, 1);
	EXPECT_EQ(recheck_query(treasury(), columns), "SELECT t FROM treasury.pay t WHERE t.\"HT\" = $1");
}

TEST(RecheckTest, SeveralNamesAreAllRequired) {
	auto columns = recheck_columns(treasury(), {"contract_code", "voucher_no"});
	ASSERT_EQ(columns.size(), 2u);
	EXPECT_EQ(recheck_query(treasury(), columns),
	          "SELECT t FROM treasury.pay t WHERE t.\"HT\" = $1 AND t.voucher_no = $2");
}

TEST(RecheckTest, ANameNeitherKeyNorMappedMeansTheRowsAreElsewhere) {
	EXPECT_TRUE(recheck_columns(treasury(), {"voucher_no", "budget_project_code"}).empty());
	EXPECT_TRUE(recheck_columns(treasury(), {"payee_name"}).empty()) << "a canonical field the table does not map";
	EXPECT_TRUE(recheck_columns(treasury(), {}).empty()) << "an empty key names nothing";
}

TEST(RecheckTest, TheQueryNamesNoUnqualifiedFunctionOrType) {
	EXPECT_TRUE(
	    unqualified_names(recheck_query(treasury(), recheck_columns(treasury(), {"contract_code", "voucher_no"})))
	        .empty());
}
