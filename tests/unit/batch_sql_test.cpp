// The SQL the engine runs over a batch (oversight/core/batch_sql.hpp), assembled without a server: the
// canonical view of a watched table, rules bound to it, the recording statement, and the alert key.
#include <gtest/gtest.h>

#include "oversight/core/batch_sql.hpp"
#include "oversight/core/sql_names.hpp"
#include "rule_fixtures.hpp"

using namespace oversight::core;

namespace {
// treasury.pay watched as payments: voucher_no (varchar) -> payment_code, amt (numeric) -> amount,
// unit (text) -> payer_unit_code, approved (timestamp with time zone) -> approved_at; key voucher_no.
TableShape treasury() {
	TableShape s;
	s.kind = RecordKind::Payment;
	s.table_name = "treasury.pay";
	s.fields = {{field_index(RecordKind::Payment, "payment_code"), "voucher_no", "character varying"},
	            {field_index(RecordKind::Payment, "amount"), "amt", "numeric"},
	            {field_index(RecordKind::Payment, "payer_unit_code"), "\"Unit\"", "text"},
	            {field_index(RecordKind::Payment, "approved_at"), "approved", "timestamp with time zone"}};
	s.key_columns = {"voucher_no"};
	s.quoted_key_columns = {"voucher_no"};
	return s;
}
} // namespace

TEST(BatchSqlTest, RelationViewMapsCastsAndFillsEveryCanonicalField) {
	std::string v = relation_view(treasury(), batch_relation);
	EXPECT_EQ(v.rfind("(SELECT (t.voucher_no)::pg_catalog.text AS payment_code, t.\"Unit\" AS payer_unit_code, "
	                  "NULL::pg_catalog.text AS payee_name, ",
	                  0),
	          0u)
	    << v;
	EXPECT_NE(v.find("t.amt AS amount, "), std::string::npos);
	EXPECT_NE(v.find("t.approved AS approved_at, "), std::string::npos);
	EXPECT_NE(v.find("NULL::pg_catalog.date AS paid_on, "), std::string::npos);
	EXPECT_NE(
	    v.find("pg_catalog.jsonb_build_object('voucher_no', t.voucher_no) AS __key, t.voucher_no AS __k0, "
	           "(t.\"Unit\")::pg_catalog.text AS __unit, NULL::pg_catalog.int8 AS __load FROM oversight_batch t)"),
	    std::string::npos)
	    << v;
	for (const auto &f : record_fields(RecordKind::Payment))
		EXPECT_NE(v.find(std::string(" AS ") + f.name + ","), std::string::npos) << f.name;
	TableShape bids;
	bids.kind = RecordKind::Bid;
	bids.table_name = "oversight.bid";
	EXPECT_NE(relation_view(bids, "oversight.bid")
	              .find("NULL::pg_catalog.text AS __unit, NULL::pg_catalog.int8 AS __load FROM oversight.bid t)"),
	          std::string::npos);
}

TEST(BatchSqlTest, InstantiateBindsEveryPlaceholderAndStaysQualified) {
	TableShape shape = treasury();
	for (const auto &k : rule_kinds()) {
		auto r = fixtures::compile_with_defaults(k);
		if (r.evaluation() == Evaluation::Row)
			continue;
		TableShape s = shape;
		if (r.record_kind != RecordKind::Payment) { // another kind: nothing mapped, same key column
			s.kind = r.record_kind;
			s.fields.clear();
		}
		std::string sql = instantiate(r, s);
		for (const char *token : {"{batch}", "{hist}", "{table}", "{other_row", "{p:"})
			EXPECT_EQ(sql.find(token), std::string::npos) << k.kind << " leaves " << token;
		EXPECT_EQ(unqualified_names(sql), std::vector<std::string>{}) << k.kind;
		std::string rec = recording_query({&r}, s, "statement", true);
		EXPECT_EQ(unqualified_names(rec), std::vector<std::string>{}) << k.kind;
	}
	auto dup = CompiledRule::compile(7, "PAY.DUPLICATE", "payment_duplicate", "payment", "{}", false);
	std::string sql = instantiate(dup, shape);
	EXPECT_NE(sql.find("(h.__k0 IS DISTINCT FROM b.__k0)"), std::string::npos);
	EXPECT_NE(sql.find("SELECT 'treasury.pay' AS object_table"), std::string::npos);
	TableShape keyless = shape;
	keyless.key_columns.clear();
	keyless.quoted_key_columns.clear();
	EXPECT_NE(instantiate(dup, keyless).find("h.__key <> b.__key"), std::string::npos);
}

TEST(BatchSqlTest, RecordingQueryTakesRowHitsAndRules) {
	TableShape shape = treasury();
	auto dup = CompiledRule::compile(7, "PAY.DUPLICATE", "payment_duplicate", "payment", "{}", false);
	std::string only_rows = recording_query({}, shape, "row", true);
	// The row pass's hits are appended as arrays, ahead of the rules' aggregated findings (none here).
	EXPECT_NE(only_rows.find("pg_catalog.array_cat($1::pg_catalog.int8[], pg_catalog.array_agg(q.rv) FILTER (WHERE NOT q.ce))"),
	          std::string::npos);
	EXPECT_NE(only_rows.find("pg_catalog.array_cat($8::pg_catalog.jsonb[], pg_catalog.array_agg(q.d) FILTER (WHERE NOT q.ce))"),
	          std::string::npos);
	EXPECT_EQ(only_rows.find("unnest"), std::string::npos);
	EXPECT_EQ(only_rows.find("UNION ALL"), std::string::npos);
	EXPECT_NE(only_rows.find("oversight.record_hits(a.rv, a.tb, a.k, a.p, a.u, a.m, a.mz, a.d, 'row', NULL::pg_catalog.int8)"),
	          std::string::npos);
	TableShape versioned = shape; // a DBA's table: its alerts record the mapping version they were computed under
	versioned.mapping_version_id = 42;
	EXPECT_NE(recording_query({}, versioned, "row", true).find("a.d, 'row', 42::pg_catalog.int8)"), std::string::npos);
	std::string both = recording_query({&dup}, shape, "statement", true);
	EXPECT_NE(both.find("FROM (SELECT 7::pg_catalog.int8, q.object_table, q.object_key, q.period, q.unit_code, "
	                    "CASE WHEN q.object_key IS NULL AND q.details ? 'cannot_evaluate' THEN NULL ELSE (m.texts)[1] "
	                    "END, CASE WHEN q.object_key IS NULL AND q.details ? 'cannot_evaluate' THEN NULL ELSE "
	                    "(m.texts)[2] END, q.details FROM ("),
	          std::string::npos);
	// A set-based rule's findings carry values; their messages come from the kind's templates.
	EXPECT_NE(both.find("oversight.finding_messages('payment_duplicate', q.details, false) AS m(texts)"),
	          std::string::npos);
	EXPECT_TRUE(unqualified_names(both).empty());
	std::string rule_only = recording_query({&dup}, shape, "sweep", false);
	EXPECT_EQ(rule_only.find("$1::pg_catalog.int8[]"), std::string::npos);
	EXPECT_NE(rule_only.find("coalesce(q.tb, 'treasury.pay')"), std::string::npos);
}

// Evaluated at commit (at_commit_group): {batch} is every stored record of the queued processes ($1),
// not the statement's rows; stored records of loads that did not provide a required input stay out.
TEST(BatchSqlTest, AtCommitRulesJudgeTheStoredRecordsOfTheQueuedGroups) {
	TableShape bids;
	bids.kind = RecordKind::Bid;
	bids.table_name = "oversight.bid";
	bids.key_columns = {"ocid", "bid_id"};
	bids.quoted_key_columns = {"ocid", "bid_id"};
	bids.provenance_column = "load_id";
	auto price = CompiledRule::compile(9, "PROC.COLLUSION_PRICE", "collusion_identical_price", "bid", "{}", false);
	ASSERT_STREQ(price.spec->at_commit_group, "ocid");
	RuleScope scope;
	scope.queued_group = "ocid";
	std::string queued = instantiate(price, bids, scope);
	EXPECT_EQ(queued.find(batch_relation), std::string::npos) << "no statement rows at commit";
	EXPECT_NE(queued.find(" v WHERE v.ocid = ANY ($1::pg_catalog.text[]) AND (v.__load IS NULL OR v.__load NOT IN ("),
	          std::string::npos)
	    << queued;
	EXPECT_TRUE(unqualified_names(queued).empty());
	// Bids whose tenderers are not known are reported, not judged.
	EXPECT_NE(queued.find("'cannot_evaluate', 'link_missing'"), std::string::npos);
	std::string statement = instantiate(price, bids);
	EXPECT_NE(statement.find(std::string("FROM ") + batch_relation + " t"), std::string::npos);
	EXPECT_EQ(statement.find("$1::pg_catalog.text[]"), std::string::npos);
	// Recorded without row hits: $1 is the groups.
	std::string rec = recording_query({&price}, bids, "commit", false, {scope});
	EXPECT_EQ(rec.find("$8"), std::string::npos);
	EXPECT_NE(rec.find("'commit')"), std::string::npos);
}

TEST(BatchSqlTest, KeyJsonWritesWhatJsonbBuildObjectPrints) {
	std::string a = "payment_code", b = "seq", c = "ok";
	std::vector<KeyPart> parts(3);
	parts[0] = {&a, KeyValue::Text, false, "P\"1"};
	parts[1] = {&b, KeyValue::Number, false, "10.50"};
	parts[2] = {&c, KeyValue::Bool, false, "t"};
	EXPECT_EQ(key_json(parts), R"({"payment_code": "P\"1", "seq": 10.50, "ok": true})");
	parts[1].null = true;
	parts[2].text = "f";
	EXPECT_EQ(key_json(parts), R"({"payment_code": "P\"1", "seq": null, "ok": false})");
}
