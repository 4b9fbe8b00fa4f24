// The scanner the engine uses to refuse elevated SQL that names a function or type without a schema
// (README "Security rules"), and every rule kind's SQL passing it.
#include <gtest/gtest.h>

#include "oversight/core/rules.hpp"
#include "oversight/core/sql_names.hpp"
#include "rule_fixtures.hpp"

using namespace oversight::core;

using Names = std::vector<std::string>;

TEST(SqlNamesTest, ReportsUnqualifiedCallsAndTypes) {
	EXPECT_EQ(unqualified_names("SELECT abs(x), pg_catalog.abs(y) FROM t"), Names{"abs("});
	EXPECT_EQ(unqualified_names("SELECT x::text, y::pg_catalog.text, z::integer, w::numeric(10,2)"), Names{"::text"});
	EXPECT_EQ(unqualified_names("SELECT x::jsonb[], y::pg_catalog.int8[]"), Names{"::jsonb"});
	EXPECT_EQ(unqualified_names("SELECT date '2024-01-01', interval '1 day', E'a\\'b'"), Names{"date '…'"});
	EXPECT_EQ(unqualified_names("SELECT count(*), pg_catalog.sum(a) FROM t"), Names{"count("});
	EXPECT_EQ(unqualified_names("SELECT \"Evil\"(1), oversight.f(2)"), Names{"Evil("});
	// a function in a schema the caller controls is still caught when unqualified
	EXPECT_EQ(unqualified_names("SELECT lower(a) FROM t WHERE left(b, 2) = 'x'"), (Names{"lower(", "left("}));
}

TEST(SqlNamesTest, SyntaxThatLooksLikeACallIsNotReported) {
	EXPECT_TRUE(unqualified_names("SELECT coalesce(a, b), GREATEST(a, b), LEAST(a, b), NULLIF(a, 0), "
	                              "EXTRACT(year FROM d), a IN (1, 2), EXISTS (SELECT 1), a = ANY (b), "
	                              "CASE WHEN a THEN 'x' ELSE 'y' END, ts AT TIME ZONE 'UTC'")
	                .empty());
	EXPECT_TRUE(unqualified_names("SELECT * FROM ROWS FROM (pg_catalog.unnest($1)) WITH ORDINALITY AS u(a, o) "
	                              "CROSS JOIN LATERAL (SELECT 1) AS q(x) JOIN t ON (t.a = u.a)")
	                .empty());
	EXPECT_TRUE(unqualified_names("SELECT 'abs(1)::text' -- lower(x)::text\n /* count(*) */ FROM t").empty());
	EXPECT_TRUE(unqualified_names("SELECT $1::pg_catalog.timestamptz, 'it''s' AS \"quoted(\"").empty());
}

TEST(SqlNamesTest, EveryRuleKindsSqlIsQualified) {
	for (const auto &k : rule_kinds()) {
		auto r = fixtures::compile_with_defaults(k);
		if (r.evaluation() == Evaluation::Row)
			continue;
		EXPECT_EQ(unqualified_names(rule_sql(r)), Names{}) << k.kind;
	}
	EXPECT_EQ(unqualified_names(sql_text_array({"a"})), Names{});
}
