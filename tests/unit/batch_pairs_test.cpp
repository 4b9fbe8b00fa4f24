// The written rows that may pair (rules.hpp, PairSpec; src/core/batch_pairs.cpp): the C++ pairing of a large
// batch's duplicate rules must put both rows of every pair their SQL would find between two written rows in one
// cluster. Checked against a brute-force reading of the SQL's conditions on random batches, and on the boundaries.
#include <random>
#include <set>

#include "rule_fixtures.hpp"

using namespace oversight::core;
using fixtures::record;

namespace {

const RuleKindSpec &kind(const char *name) {
	const RuleKindSpec *k = find_rule_kind(name);
	EXPECT_NE(k, nullptr);
	return *k;
}

// The pair clusters of records for rule (the engine's row pass, in small).
std::vector<int64_t> clusters(const CompiledRule &rule, const std::vector<Record> &records) {
	std::vector<PairProbe> probes;
	for (size_t i = 0; i < records.size(); ++i) {
		PairProbe p;
		if (rule.spec->pairs->probe(rule, records[i], p)) {
			p.row = static_cast<uint32_t>(i);
			probes.push_back(p);
		}
	}
	return pair_clusters(rule, probes, records.size());
}
// The rows in some cluster.
std::vector<bool> marked(const CompiledRule &rule, const std::vector<Record> &records) {
	std::vector<bool> out;
	for (int64_t c : clusters(rule, records))
		out.push_back(c >= 0);
	return out;
}

const Value &field(const Record &r, const char *name) {
	return r[field_index(RecordKind::Payment, name)];
}
bool same(const Value &a, const Value &b) { // IS NOT DISTINCT FROM, text
	return a.null == b.null && (a.null || a.text == b.text);
}
bool judged_payment(const Record &r) {
	const Value &status = field(r, "status"), &kind = field(r, "payment_kind");
	return (status.null || status.text != "returned") && (kind.null || kind.text == "payment");
}
int32_t first_date(const Record &r, int32_t fallback) {
	const Value &paid = field(r, "paid_on"), &requested = field(r, "requested_on");
	return !paid.null ? paid.date : !requested.null ? requested.date : fallback;
}

// The SQL of payment_duplicate, read literally (b and h two different written rows).
bool duplicate_sql(const CompiledRule &rule, const Record &b, const Record &h) {
	const Value &bi = field(b, "invoice_no"), &hi = field(h, "invoice_no");
	const Value &ba = field(b, "amount"), &ha = field(h, "amount");
	if (bi.null || hi.null || bi.text != hi.text || ba.null || ha.null || !(ba.dec == ha.dec))
		return false;
	const Value &bp = field(b, "payee_account").null ? field(b, "payee_name") : field(b, "payee_account");
	const Value &hp = field(h, "payee_account").null ? field(h, "payee_name") : field(h, "payee_account");
	if (bp.null || hp.null || bp.text != hp.text || !same(field(b, "currency"), field(h, "currency")))
		return false;
	return judged_payment(b) && judged_payment(h) &&
	       std::abs(first_date(b, 0) - first_date(h, 0)) <= rule.integer("lookback_days");
}

// The SQL of payment_near_duplicate, read literally.
bool near_duplicate_sql(const CompiledRule &rule, const Record &b, const Record &h) {
	const Value &bn = field(b, "payee_name"), &hn = field(h, "payee_name");
	const Value &ba = field(b, "amount"), &ha = field(h, "amount");
	const Value &bpaid = field(b, "paid_on"), &breq = field(b, "requested_on");
	const Value &hpaid = field(h, "paid_on"), &hreq = field(h, "requested_on");
	if (bn.null || hn.null || bn.text != hn.text || ba.null || ha.null || (bpaid.null && breq.null) ||
	    (hpaid.null && hreq.null))
		return false;
	const Decimal min = rule.dec("min_amount");
	if (ba.dec < min || ha.dec < min || !same(field(b, "currency"), field(h, "currency")))
		return false;
	if (std::abs(first_date(b, 0) - first_date(h, 0)) > rule.integer("window_days"))
		return false;
	const double a = static_cast<double>(ba.dec.units), c = static_cast<double>(ha.dec.units);
	if (std::abs(a - c) > std::max(a, c) * static_cast<double>(rule.dec("amount_tolerance_pct").units) /
	                          static_cast<double>(Decimal::scale) / 100.0)
		return false;
	if (ba.dec == ha.dec && same(field(b, "invoice_no"), field(h, "invoice_no")) && !field(b, "invoice_no").null)
		return false;
	return judged_payment(b) && judged_payment(h);
}

// Random payments over a few payees, invoices, amounts and dates, some of each special case.
std::vector<Record> random_batch(std::mt19937 &gen, int n) {
	std::vector<Record> out;
	std::uniform_int_distribution<int> payee(0, 6), invoice(0, 12), amount(0, 30), day(0, 60), pick(0, 19);
	static const char *amounts[] = {"9999.99", "10000", "10000.00", "10050", "10101", "10103", "20000", "20200", "20203"};
	for (int i = 0; i < n; ++i) {
		const std::string name = "Payee " + std::to_string(payee(gen));
		const std::string inv = "INV" + std::to_string(invoice(gen));
		const std::string amt = amounts[amount(gen) % 9];
		int y, m, d;
		civil_from_days(days_from_civil(2025, 1, 1) + day(gen), y, m, d);
		char date[16];
		std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
		Record r = record(RecordKind::Payment, {{"amount", amt.c_str()}});
		auto set = [&](const char *f, const std::string &text) {
			const int i = field_index(RecordKind::Payment, f);
			r.fields[static_cast<size_t>(i)] = record(RecordKind::Payment, {{f, text.c_str()}})[i];
		};
		if (pick(gen) != 0)
			set("payee_name", name);
		if (pick(gen) < 10)
			set("payee_account", "ACC-" + name);
		if (pick(gen) < 15)
			set("invoice_no", inv);
		const int which = pick(gen);
		set(which < 12 ? "paid_on" : "requested_on", date);
		if (pick(gen) == 0)
			set("currency", "USD");
		if (pick(gen) == 0)
			set("status", "returned");
		if (pick(gen) == 1)
			set("payment_kind", "refund");
		out.push_back(r);
	}
	return out;
}

void expect_superset(const char *kind_name, bool (*sql)(const CompiledRule &, const Record &, const Record &)) {
	const CompiledRule rule = fixtures::compile_with_defaults(kind(kind_name));
	std::mt19937 gen(20261130);
	int pairs = 0;
	for (int round = 0; round < 40; ++round) {
		const std::vector<Record> batch = random_batch(gen, 120);
		const std::vector<int64_t> cluster = clusters(rule, batch);
		for (size_t i = 0; i < batch.size(); ++i)
			for (size_t j = 0; j < batch.size(); ++j)
				if (i != j && sql(rule, batch[i], batch[j])) {
					++pairs;
					ASSERT_TRUE(cluster[i] >= 0 && cluster[i] == cluster[j])
					    << kind_name << ": rows " << i << " and " << j << " pair";
				}
	}
	EXPECT_GT(pairs, 50) << "the random batches must hold pairs to check";
}

} // namespace

TEST(BatchPairs, DuplicateMarksEveryRowOfEveryPairTheSqlFinds) {
	expect_superset("payment_duplicate", duplicate_sql);
}

TEST(BatchPairs, NearDuplicateMarksEveryRowOfEveryPairTheSqlFinds) {
	expect_superset("payment_near_duplicate", near_duplicate_sql);
}

TEST(BatchPairs, NearDuplicateBoundaries) {
	const CompiledRule rule = fixtures::compile_with_defaults(kind("payment_near_duplicate"));
	auto pay = [](const char *amount, const char *date) {
		return record(RecordKind::Payment, {{"payee_name", "ACME"}, {"amount", amount}, {"paid_on", date}});
	};
	// 1 % of 10,101 is 101.01: within; 1 % of 10,103 is 101.03 < 103: not.
	EXPECT_EQ(marked(rule, {pay("10000", "2025-06-01"), pay("10101", "2025-06-01")}), (std::vector<bool>{true, true}));
	EXPECT_EQ(marked(rule, {pay("10000", "2025-06-01"), pay("10103", "2025-06-01")}), (std::vector<bool>{false, false}));
	// Seven days apart is within the window (a day's margin is allowed: the SQL decides).
	EXPECT_EQ(marked(rule, {pay("20000", "2025-06-01"), pay("20000", "2025-06-08")}), (std::vector<bool>{true, true}));
	EXPECT_EQ(marked(rule, {pay("20000", "2025-06-01"), pay("20000", "2025-06-11")}), (std::vector<bool>{false, false}));
	// Below min_amount (10,000), no probe at all.
	EXPECT_EQ(marked(rule, {pay("9999.99", "2025-06-01"), pay("9999.99", "2025-06-01")}),
	          (std::vector<bool>{false, false}));
	// Another payee, or another currency: another group.
	Record other = record(RecordKind::Payment, {{"payee_name", "ACMF"}, {"amount", "20000"}, {"paid_on", "2025-06-01"}});
	Record dollars = record(RecordKind::Payment,
	                        {{"payee_name", "ACME"}, {"amount", "20000"}, {"paid_on", "2025-06-01"}, {"currency", "USD"}});
	EXPECT_EQ(marked(rule, {pay("20000", "2025-06-01"), other, dollars}), (std::vector<bool>{false, false, false}));
}

TEST(BatchPairs, ClustersLinkRowsThroughOthersAndAreNumberedByTheirLeastRow) {
	const CompiledRule rule = fixtures::compile_with_defaults(kind("payment_near_duplicate"));
	auto pay = [](const char *payee, const char *amount, const char *date) {
		return record(RecordKind::Payment, {{"payee_name", payee}, {"amount", amount}, {"paid_on", date}});
	};
	// 0 and 2 are 12 days apart (no pair), but each is within a week of 3: one cluster, numbered 0. Row 1 is alone;
	// rows 4 and 5 are another payee's pair.
	EXPECT_EQ(clusters(rule, {pay("A", "20000", "2025-06-01"), pay("A", "20000", "2025-07-20"), pay("A", "20000", "2025-06-13"),
	                          pay("A", "20000", "2025-06-07"), pay("B", "20000", "2025-06-01"), pay("B", "20100", "2025-06-02")}),
	          (std::vector<int64_t>{0, -1, 0, 0, 4, 4}));
}

TEST(BatchPairs, GroupHashSeparatesValues) {
	Value a, b, c, d, null_value, empty;
	a.null = b.null = c.null = d.null = empty.null = false;
	a.text = "ab";
	b.text = "c";
	c.text = "a";
	d.text = "bc";
	EXPECT_NE(PairGroup().add(a).add(b).hash(), PairGroup().add(c).add(d).hash());
	EXPECT_NE(PairGroup().add(null_value).hash(), PairGroup().add(empty).hash());
	EXPECT_EQ(PairGroup().add(a).add(Decimal::parse("10.00")).hash(), PairGroup().add(a).add(Decimal::parse("10")).hash());
	// Whole words and their tail: a difference in the last byte of a word or of the tail, a trailing NUL.
	auto text = [](std::string t) {
		Value v;
		v.null = false;
		v.text = std::move(t);
		return v;
	};
	EXPECT_NE(PairGroup().add(text("abcdefgh1")).hash(), PairGroup().add(text("abcdefgh2")).hash());
	EXPECT_NE(PairGroup().add(text("abcdefgX12345678")).hash(), PairGroup().add(text("abcdefgY12345678")).hash());
	EXPECT_NE(PairGroup().add(text("a")).hash(), PairGroup().add(text(std::string("a\0", 2))).hash());
	// A batch's payees (100,000 distinct names, Chinese and Latin): no two share a group.
	std::set<uint64_t> groups;
	for (int i = 0; i < 50000; ++i) {
		groups.insert(PairGroup().add(text("payee " + std::to_string(i))).add(text("CNY")).hash());
		groups.insert(PairGroup().add(text("收款单位" + std::to_string(i) + "有限公司")).add(text("CNY")).hash());
	}
	EXPECT_EQ(groups.size(), 100000u);
}

// A small batch's look-up of a stored partner (LookupSpec, engine/lookups.cpp) reads only the stored rows with the
// written row's value of the looked-up field and, when they have the pair's date (its date field, or either date for
// an index on their coalesce), a date within the window of the written row's probe; then keeps those may_pair
// accepts. Every pair the SQL finds must pass all three.
void expect_lookup_finds_every_partner(const char *kind_name,
                                       bool (*sql)(const CompiledRule &, const Record &, const Record &)) {
	const CompiledRule rule = fixtures::compile_with_defaults(kind(kind_name));
	ASSERT_TRUE(rule.spec->lookup && !rule.spec->lookup->table && rule.spec->pairs && rule.spec->pairs->date_field &&
	            rule.spec->pairs->date_fallback_field);
	const char *looked_up = rule.spec->lookup->field, *date_field = rule.spec->pairs->date_field;
	std::mt19937 gen(20261201);
	int pairs = 0;
	for (int round = 0; round < 40; ++round) {
		const std::vector<Record> batch = random_batch(gen, 120);
		for (const Record &b : batch)
			for (const Record &h : batch) {
				if (&b == &h || !sql(rule, b, h))
					continue;
				++pairs;
				PairProbe written, stored;
				ASSERT_TRUE(rule.spec->pairs->probe(rule, b, written) && rule.spec->pairs->probe(rule, h, stored));
				ASSERT_TRUE(same(field(b, looked_up), field(h, looked_up)) && !field(b, looked_up).null)
				    << kind_name << ": partners share the looked-up " << looked_up;
				// Both index shapes: (field, date_field) and (field, coalesce(date_field, date_fallback_field)).
				const int32_t window = rule.spec->pairs->window_days(rule);
				const Value &date = field(h, date_field), &fallback = field(h, rule.spec->pairs->date_fallback_field);
				const Value &either = date.null ? fallback : date;
				ASSERT_TRUE(date.null || std::abs(date.date - written.date) <= window)
				    << kind_name << ": a partner with the date lies within the window the index reads";
				ASSERT_TRUE(either.null || std::abs(either.date - written.date) <= window)
				    << kind_name << ": a partner with either date lies within the window the index reads";
				ASSERT_TRUE(may_pair(rule, written, stored) && may_pair(rule, stored, written));
			}
	}
	EXPECT_GT(pairs, 50) << "the random batches must hold pairs to check";
}

TEST(BatchPairs, DuplicateLookupFindsEveryStoredPartnerTheSqlFinds) {
	expect_lookup_finds_every_partner("payment_duplicate", duplicate_sql);
}

TEST(BatchPairs, NearDuplicateLookupFindsEveryStoredPartnerTheSqlFinds) {
	expect_lookup_finds_every_partner("payment_near_duplicate", near_duplicate_sql);
}

TEST(BatchPairs, LookupsNameFieldsTheirKindReads) {
	for (const RuleKindSpec &k : rule_kinds()) {
		if (!k.lookup)
			continue;
		EXPECT_GE(field_index(k.record_kinds.front(), k.lookup->field), 0) << k.kind;
		EXPECT_EQ(k.lookup->table == nullptr, k.lookup->column == nullptr) << k.kind << ": a link table names its column";
		if (!k.lookup->table) {
			ASSERT_TRUE(k.pairs.has_value()) << k.kind << ": a partner in the table itself is judged with the pair probe";
			bool reads_it = false;
			for (const char *f : k.pairs->fields)
				reads_it = reads_it || std::string(f) == k.lookup->field;
			EXPECT_TRUE(reads_it) << k.kind;
		} else {
			bool required = false;
			for (const char *link : k.required_links)
				required = required || std::string(link) == k.lookup->table;
			EXPECT_TRUE(required) << k.kind << ": the link table looked up is a required link (its emptiness is counted)";
		}
	}
}
