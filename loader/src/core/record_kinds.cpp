#include "core/record_kinds.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/values.hpp"
#include "oversight/core/record_kinds.hpp"

namespace oversight::loader {
namespace {

FieldSpec text(std::string name, bool required = false) {
	return {std::move(name), FieldType::text, required, {}, {}, {}, false};
}
FieldSpec code(std::string name, bool required = false) {
	return {std::move(name), FieldType::code, required, {}, {}, {}, false};
}
FieldSpec ref(std::string name, std::string table, std::string column, bool required = false,
              FieldType type = FieldType::text) {
	FieldSpec f{std::move(name), type, required, {}, {}, Reference{std::move(table), std::move(column)}, false};
	return f;
}
FieldSpec amount(std::string name, bool required = false, bool positive = false) {
	FieldSpec f{std::move(name), FieldType::amount, required, {}, {}, {}, positive};
	return f;
}
FieldSpec date_field(std::string name, bool required = false, std::string def = {}) {
	return {std::move(name), FieldType::date, required, std::move(def), {}, {}, false};
}
FieldSpec timestamp(std::string name) {
	return {std::move(name), FieldType::timestamp, false, {}, {}, {}, false};
}
// No loader-side default: an empty or absent currency is left to the column's database default (issue 11).
FieldSpec currency(std::string name, std::string def = {}) {
	return {std::move(name), FieldType::currency, !def.empty(), std::move(def), {}, {}, false};
}
FieldSpec boolean(std::string name, std::string def = {}) {
	return {std::move(name), FieldType::boolean, !def.empty(), std::move(def), {}, {}, false};
}
FieldSpec enumeration(std::string name, std::vector<std::string> allowed, bool required = false, std::string def = {}) {
	return {std::move(name), FieldType::enumeration, required, std::move(def), std::move(allowed), {}, false};
}
FieldSpec integer(std::string name, long long lo, long long hi, bool required = false) {
	FieldSpec f{std::move(name), FieldType::integer, required, {}, {}, {}, false};
	f.min_value = lo;
	f.max_value = hi;
	return f;
}
FieldSpec person(std::string name) {
	return ref(std::move(name), "person", "person_code", false, FieldType::code);
}
FieldSpec unit(std::string name, bool required = false) {
	return ref(std::move(name), "org_unit", "unit_code", required, FieldType::code);
}

// CHECK (b IS NULL OR a IS NULL OR b >= a), reported on b.
RowRule ordered(std::string first, std::string second, bool strictly = false) {
	return {second, {first, second}, [first, strictly](const RowView &r) -> std::optional<std::string> {
		        auto a = r.get(0), b = r.get(1);
		        // Canonical dates and timestamps compare correctly as text (same offsets assumed within a row).
		        if (a && b && (strictly ? *b <= *a : *b < *a))
			        return "is " + std::string(strictly ? "not after " : "before ") + first + " (" + std::string(*a) +
			               ")";
		        return std::nullopt;
	        }};
}
// CHECK (a IS NULL OR b IS NOT NULL), reported on b.
RowRule needs(std::string a, std::string b, std::string why) {
	return {b, {a, b}, [why](const RowView &r) -> std::optional<std::string> {
		        if (r.get(0) && !r.get(1))
			        return "is required when " + why;
		        return std::nullopt;
	        }};
}
RowRule differs(std::string a, std::string b) {
	return {b, {a, b}, [a](const RowView &r) -> std::optional<std::string> {
		        auto x = r.get(0), y = r.get(1);
		        if (x && y && *x == *y)
			        return "must differ from " + a;
		        return std::nullopt;
	        }};
}
RowRule when_equals(std::string field, std::string value, std::string required_field) {
	return {required_field, {field, required_field}, [field, value](const RowView &r) -> std::optional<std::string> {
		        auto v = r.get(0);
		        if (v && *v == value && !r.get(1))
			        return "is required when " + field + " is " + value;
		        return std::nullopt;
	        }};
}

// CHECK (a IS NULL OR b IS NULL OR a <= b) on canonical amounts, compared as numbers, reported on b.
RowRule not_below(std::string first, std::string second) {
	return {second, {first, second}, [first](const RowView &r) -> std::optional<std::string> {
		        auto a = r.get(0), b = r.get(1);
		        if (a && b && compare_amounts(*b, *a) < 0)
			        return "is below " + first + " (" + std::string(*a) + ")";
		        return std::nullopt;
	        }};
}

// Assignments that would break "one leader in charge and one chief per unit and day" (the table's trigger,
// which would abort the whole load): `o` is the other assignment, `s` the staged row.
std::string assignment_clash(const std::string &o, const std::string &s) {
	return o + ".unit_code = " + s + ".unit_code AND (" + o + ".person_code, " + o + ".assignment_role, " + o +
	       ".valid_from) IS DISTINCT FROM (" + s + ".person_code, " + s + ".assignment_role, " + s +
	       ".valid_from) AND (" + o + ".assignment_role = " + s + ".assignment_role OR (" + o +
	       ".assignment_role IN ('section_chief', 'unit_head') AND " + s +
	       ".assignment_role IN ('section_chief', 'unit_head'))) AND pg_catalog.daterange(" + o + ".valid_from, " + o +
	       ".valid_to) && pg_catalog.daterange(" + s + ".valid_from, " + s + ".valid_to)";
}
std::string single_holder_role(const std::string &s) {
	return s + ".assignment_role IN ('leader_in_charge', 'section_chief', 'unit_head')";
}
// A stored assignment that this file does not restate (a restated one is judged by its new period).
std::string stored_not_restated(const std::string &a) {
	return "NOT EXISTS (SELECT FROM pg_temp.oversight_stage x WHERE (x.person_code, x.unit_code, x.assignment_role, "
	       "x.valid_from) = (" +
	       a + ".person_code, " + a + ".unit_code, " + a + ".assignment_role, " + a + ".valid_from))";
}
std::string describe_assignment(const std::string &a) {
	return a + ".person_code, " + a + ".assignment_role, " + a + ".unit_code, " + a + ".valid_from, COALESCE(" + a +
	       ".valid_to::text, 'open end')";
}
std::vector<RecordKind::MergeCheck> assignment_checks() {
	std::string one_holder = "a unit has one leader in charge and one chief (section_chief or unit_head) on any day";
	return {{"valid_from",
	         single_holder_role("s") + " AND EXISTS (SELECT FROM oversight.assignment a WHERE " +
	             assignment_clash("a", "s") + " AND " + stored_not_restated("a") + ")",
	         {},
	         "(SELECT pg_catalog.format('clashes with the stored assignment of %s as %s of %s from %s to %s: " +
	             one_holder + " (end that one first: its valid_to)', " + describe_assignment("a") +
	             ") FROM oversight.assignment a WHERE " + assignment_clash("a", "r") + " AND " +
	             stored_not_restated("a") + " ORDER BY a.valid_from LIMIT 1)"},
	        {"valid_from",
	         single_holder_role("s") +
	             " AND EXISTS (SELECT FROM pg_temp.oversight_stage o WHERE o.line_no < s.line_no AND " +
	             assignment_clash("o", "s") + ")",
	         {},
	         "(SELECT pg_catalog.format('clashes with line %s of this file (%s as %s of %s from %s to %s): " +
	             one_holder + "; the earlier line is kept', o.line_no, " + describe_assignment("o") +
	             ") FROM pg_temp.oversight_stage o WHERE o.line_no < r.line_no AND " + assignment_clash("o", "r") +
	             " ORDER BY o.line_no LIMIT 1)"}};
}

// A login that is another person's (person.login_role is UNIQUE, which would abort the whole load).
std::vector<RecordKind::MergeCheck> login_checks() {
	std::string stored = "FROM oversight.person p WHERE p.login_role = {s}.login_role AND p.person_code <> "
	                     "{s}.person_code AND NOT EXISTS (SELECT FROM pg_temp.oversight_stage x WHERE x.person_code = "
	                     "p.person_code AND x.login_role IS DISTINCT FROM p.login_role::text)";
	std::string in_file = "FROM pg_temp.oversight_stage o WHERE o.login_role = {s}.login_role AND o.person_code <> "
	                      "{s}.person_code AND o.line_no < {s}.line_no";
	auto on = [](std::string sql, const std::string &alias) {
		for (size_t at; (at = sql.find("{s}")) != std::string::npos;)
			sql.replace(at, 3, alias);
		return sql;
	};
	return {{"login_role",
	         "s.login_role IS NOT NULL AND EXISTS (SELECT " + on(stored, "s") + ")",
	         {},
	         "(SELECT pg_catalog.format('\"%s\" is already the login of %s (%s): a login belongs to one person', "
	         "r.login_role, p.person_code, p.full_name) " +
	             on(stored, "r") + " LIMIT 1)"},
	        {"login_role",
	         "s.login_role IS NOT NULL AND EXISTS (SELECT " + on(in_file, "s") + ")",
	         {},
	         "(SELECT pg_catalog.format('\"%s\" is also the login of %s at line %s of this file: a login belongs to "
	         "one person; the earlier line is kept', r.login_role, o.person_code, o.line_no) " +
	             on(in_file, "r") + " ORDER BY o.line_no LIMIT 1)"}};
}

// A link row (bid_tenderer, award_supplier) names a bid or award of its process.
RecordKind::MergeCheck link_exists(const std::string &table, const std::string &id, const std::string &loader) {
	return {id,
	        "NOT EXISTS (SELECT FROM oversight." + table + " t WHERE t.ocid = s.ocid AND t." + id + " = s." + id + ")",
	        "names " + std::string(table == "award" ? "an " : "a ") + table +
	            " its process does not have (load it first: " + loader + ")"};
}

// --- the record kinds the rules watch: oversight/core/record_kinds.hpp ---------------------------------
// Their fields (names, types, domains, the tables' enumerations), key and table come from the one
// definition the rule core uses; the loader adds what only it needs, per field ("facts"): NOT NULL and
// defaults it fills, references it checks set-based, bounds and vocabularies it quarantines on.
using Fact = std::function<void(FieldSpec &)>;

const Fact required = [](FieldSpec &f) { f.required = true; };
const Fact positive = [](FieldSpec &f) { f.positive = true; };
const Fact unit_code = [](FieldSpec &f) {
	f.type = FieldType::code;
	f.references = Reference{"org_unit", "unit_code"};
};
const Fact person_code = [](FieldSpec &f) {
	f.type = FieldType::code;
	f.references = Reference{"person", "person_code"};
};
Fact defaults_to(std::string value) { // a default makes the field required (the column is NOT NULL)
	return [value](FieldSpec &f) {
		f.required = true;
		f.default_value = value;
	};
}
Fact refers_to(std::string table, std::string column) {
	return [table, column](FieldSpec &f) { f.references = Reference{table, column}; };
}
Fact within(long long lo, long long hi) {
	return [lo, hi](FieldSpec &f) {
		f.min_value = lo;
		f.max_value = hi;
	};
}
// Values the loader accepts where the table has no CHECK (OCDS code lists).
Fact vocabulary(std::vector<std::string> values) {
	return [values](FieldSpec &f) {
		f.type = FieldType::enumeration;
		f.allowed = values;
	};
}

// The loader's field of a column of a shared record kind, before its facts.
FieldSpec field_of(const core::ColumnSpec &c) {
	FieldSpec f{c.name, FieldType::text, false, {}, {}, {}, false};
	switch (c.type) {
	case core::FieldType::Decimal:
		f.type = FieldType::amount;
		break;
	case core::FieldType::Integer:
	case core::FieldType::BigInt:
		f.type = FieldType::integer;
		break;
	case core::FieldType::Date:
		f.type = FieldType::date;
		break;
	case core::FieldType::Timestamp:
		f.type = FieldType::timestamp;
		break;
	case core::FieldType::Bool:
		f.type = FieldType::boolean;
		break;
	case core::FieldType::Text:
	case core::FieldType::Json:
		break;
	}
	if (c.domain == core::Domain::Currency)
		f.type = FieldType::currency;
	if (c.domain == core::Domain::FiscalYear) { // CHECK of oversight.fiscal_year
		f.min_value = 1990;
		f.max_value = 2200;
	}
	if (c.values) {
		f.type = FieldType::enumeration;
		f.allowed = *c.values;
	}
	return f;
}

// A CSV record kind over a shared record kind: every column of its table but the source documents.
RecordKind shared_kind(core::RecordKind which, std::string command, std::string summary,
                       std::map<std::string, std::vector<Fact>> facts, std::vector<RowRule> rules,
                       std::vector<RecordKind::MergeCheck> merge_checks = {}) {
	const core::RecordKindSpec &spec = core::record_kind(which);
	RecordKind k;
	k.command = std::move(command);
	k.table = spec.table;
	k.name = spec.name;
	k.summary = std::move(summary);
	for (const char *key : spec.key)
		k.key.push_back(key);
	k.conflict_target = "(";
	for (size_t i = 0; i < k.key.size(); ++i)
		k.conflict_target += (i ? ", " : "") + k.key[i];
	k.conflict_target += ")";
	for (const auto &c : spec.columns) {
		if (c.type == core::FieldType::Json)
			continue; // source_document: OCDS loads keep the published document there
		if (std::string(c.name) == "load_id") {
			k.provenance_column = c.name; // provenance: the loader writes the load's number itself
			continue;
		}
		FieldSpec f = field_of(c);
		f.canonical = c.canonical;
		auto given = facts.find(c.name);
		if (given != facts.end()) {
			for (const auto &fact : given->second)
				fact(f);
			facts.erase(given);
		}
		k.fields.push_back(std::move(f));
	}
	if (!facts.empty())
		throw std::logic_error("loader facts of " + k.command + " name " + facts.begin()->first +
		                       ", which is not a column of oversight." + k.table);
	k.rules = std::move(rules);
	k.merge_checks = std::move(merge_checks);
	return k;
}

std::vector<RecordKind> build_kinds() {
	std::vector<RecordKind> k;
	k.push_back(
	    {"org-units",
	     "org_unit",
	     "organisational units (bureau, sections, budget units): oversight.org_unit",
	     {"unit_code"},
	     "(unit_code)",
	     {code("unit_code", true), text("name_zh"), text("name_en"),
	      enumeration("unit_kind",
	                  {"bureau", "section", "affiliated_unit", "discipline_office", "budget_unit", "external"}, true),
	      unit("parent_code"), date_field("valid_from", true, "1900-01-01"), date_field("valid_to")},
	     {ordered("valid_from", "valid_to", true), differs("unit_code", "parent_code")},
	     {}});
	// A unit has a Chinese or an English name, or both (CHECK org_unit_named): UK councils have no Chinese one.
	k.back().one_of_required = {{{"name_zh", "name_en"},
	                             "is empty, and so is name_en: an org unit needs a name, in Chinese (name_zh) or in "
	                             "English (name_en) or both"}};
	k.push_back({"people",
	             "person",
	             "people (staff numbers, names): oversight.person",
	             {"person_code"},
	             "(person_code)",
	             {code("person_code", true), text("full_name", true), boolean("is_staff", "true"), text("login_role"),
	              text("note")},
	             {},
	             {}});
	k.back().merge_checks = login_checks();
	k.back().fill_absent = {"login_role"};
	k.back().merge_order = "EXISTS (SELECT FROM oversight.person p WHERE p.login_role = s.login_role AND p.person_code "
	                       "<> s.person_code)";
	k.push_back({"parties",
	             "party",
	             "suppliers, payees, penalised subjects (unified social credit code): oversight.party",
	             {"party_code"},
	             "(party_code)",
	             {text("party_code", true), text("name", true), text("identifier_scheme"), text("identifier_id"),
	              text("address"), text("contact_name"), text("contact_email"), text("contact_phone"),
	              text("bank_account"), boolean("is_sme")},
	             {},
	             {}});
	k.push_back({"assignments",
	             "assignment",
	             "who holds which role in which unit, and when: oversight.assignment",
	             {"person_code", "unit_code", "assignment_role", "valid_from"},
	             "ON CONSTRAINT assignment_natural_key",
	             {person("person_code"), unit("unit_code", true),
	              enumeration("assignment_role",
	                          {"leader_in_charge", "section_chief", "unit_head", "deputy_chief", "handler", "approver",
	                           "inspector"},
	                          true),
	              ref("post_code", "post", "post_code", false, FieldType::code), date_field("valid_from", true),
	              date_field("valid_to")},
	             {ordered("valid_from", "valid_to", true)},
	             {}});
	k.back().fields[0].required = true;
	k.back().update_then_insert = true;
	k.back().merge_checks = assignment_checks();
	k.back().fill_absent = {"valid_to"};
	k.push_back({"budget-projects",
	             "budget_project",
	             "budget projects of a fiscal year: oversight.budget_project",
	             {"project_code"},
	             "(project_code)",
	             {text("project_code", true), integer("fiscal_year", 1990, 2200, true), unit("unit_code", true),
	              text("name", true), text("category_code"), amount("budget_amount", true), currency("currency"),
	              boolean("is_special_fund", "false"), text("special_purpose"), date_field("adjusted_on")},
	             {when_equals("is_special_fund", "true", "special_purpose")},
	             {}});
	k.push_back(shared_kind(core::RecordKind::Procurement, "procurement",
	                        "contracting processes from a domestic platform export: oversight.procurement_process",
	                        {{"ocid", {required}},
	                         {"buyer_unit_code", {unit_code}},
	                         {"buyer_party_code", {refers_to("party", "party_code")}},
	                         {"procuring_entity_party_code", {refers_to("party", "party_code")}},
	                         {"budget_project_code", {refers_to("budget_project", "project_code")}},
	                         {"number_of_tenderers", {within(0, 2147483647)}},
	                         {"handler_code", {person_code}},
	                         {"approver_code", {person_code}}},
	                        {ordered("tender_period_start", "tender_period_end"),
	                         needs("estimated_value", "currency", "estimated_value is given")}));
	k.push_back(shared_kind(core::RecordKind::Bid, "bids", "bids received in a process: oversight.bid",
	                        {{"ocid", {required, refers_to("procurement_process", "ocid")}},
	                         {"bid_id", {required}},
	                         {"status", {vocabulary({"invited", "pending", "valid", "disqualified", "withdrawn"})}}},
	                        {needs("amount", "currency", "amount is given")}));
	k.push_back({"awards",
	             "award",
	             "awards of a process: oversight.award",
	             {"ocid", "award_id"},
	             "(ocid, award_id)",
	             {ref("ocid", "procurement_process", "ocid", true), text("award_id", true), text("lot_id"),
	              text("title"), enumeration("status", {"pending", "active", "cancelled", "unsuccessful"}),
	              amount("amount"), currency("currency", {}), timestamp("award_date")},
	             {needs("amount", "currency", "amount is given")},
	             {}});
	k.push_back(shared_kind(
	    core::RecordKind::Contract, "contracts", "contracts, from procurement or signed directly: oversight.contract",
	    {{"contract_code", {required}},
	     {"ocid", {refers_to("procurement_process", "ocid")}},
	     {"buyer_unit_code", {unit_code}},
	     {"supplier_party_code", {refers_to("party", "party_code")}},
	     {"status", {vocabulary({"pending", "active", "cancelled", "terminated"})}},
	     {"parent_contract_code", {refers_to("contract", "contract_code")}},
	     {"payment_term_days", {within(1, 36500)}}},
	    {needs("amount", "currency", "amount is given"), ordered("period_start", "period_end"),
	     needs("award_id", "ocid", "award_id is given"), differs("contract_code", "parent_contract_code")},
	    // The award named must exist in that process (the table's trigger would abort the load).
	    {{"award_id",
	      "s.award_id IS NOT NULL AND NOT EXISTS (SELECT FROM oversight.award a WHERE a.ocid = s.ocid AND a.award_id "
	      "= s.award_id)",
	      "names an award that process does not have"}}));
	k.push_back(shared_kind(core::RecordKind::FundAllocation, "allocations",
	                        "allocations of funds to units or recipients: oversight.fund_allocation",
	                        {{"allocation_code", {required}},
	                         {"budget_project_code", {refers_to("budget_project", "project_code")}},
	                         {"recipient_unit_code", {unit_code}},
	                         {"recipient_name", {required}},
	                         {"amount", {required, positive}},
	                         {"purpose", {required}},
	                         {"fund_kind", {defaults_to("general")}},
	                         {"allocated_on", {required}},
	                         {"handler_code", {person_code}},
	                         {"approver_code", {person_code}}},
	                        {}));
	k.back().identity_fields = {"recipient_name", "amount", "allocated_on"};
	k.push_back(shared_kind(core::RecordKind::Payment, "payments",
	                        "treasury payments (国库集中支付): oversight.payment",
	                        {{"payment_code", {required}},
	                         {"payer_unit_code", {unit_code, required}},
	                         {"payee_name", {required}},
	                         {"payee_party_code", {refers_to("party", "party_code")}},
	                         {"amount", {required, positive}},
	                         {"payment_method", {required}},
	                         {"contract_code", {refers_to("contract", "contract_code")}},
	                         {"budget_project_code", {refers_to("budget_project", "project_code")}},
	                         {"allocation_code", {refers_to("fund_allocation", "allocation_code")}},
	                         {"handler_code", {person_code}},
	                         {"approver_code", {person_code}},
	                         {"status", {defaults_to("paid")}},
	                         {"refund_of", {refers_to("payment", "payment_code")}}},
	                        {when_equals("status", "paid", "paid_on"), differs("payment_code", "refund_of")}));
	// A negative amount (-50, (50.00), 50-) is a refund of 50 unless the row or the mapping says credit note; the
	// amount column keeps the magnitude (oversight.amount is positive).
	k.back().signed_amount = SignedAmount{"amount",
	                                      "payment_kind",
	                                      core::payment_kind::payment,
	                                      core::payment_kind::refund,
	                                      {core::payment_kind::refund, core::payment_kind::credit_note},
	                                      "refund_of"};
	// The direction is part of what a payment is: a refund under a stored payment's code is another record.
	k.back().identity_fields = {"payee_name", "amount", "paid_on", "payment_kind"};
	k.push_back(shared_kind(core::RecordKind::Enforcement, "enforcement",
	                        "administrative enforcement cases (penalties, fines): oversight.enforcement_case",
	                        {{"case_code", {required}},
	                         {"deciding_unit_code", {unit_code, required}},
	                         {"subject_name", {required}},
	                         {"subject_party_code", {refers_to("party", "party_code")}},
	                         {"violation_code", {required}},
	                         {"decided_on", {required}},
	                         {"penalty_kind", {required}},
	                         {"handler_code", {person_code}},
	                         {"approver_code", {person_code}},
	                         {"status", {defaults_to("decided")}}},
	                        {when_equals("penalty_kind", "fine", "fine_amount"), ordered("decided_on", "paid_on")}));
	k.back().identity_fields = {"subject_name", "fine_amount", "decided_on"};
	k.push_back({"calendar",
	             "calendar_day",
	             "holidays and moved working days (调休) of loaded years: oversight.calendar_day",
	             {"calendar_date"},
	             "(calendar_date)",
	             {date_field("calendar_date", true), enumeration("day_kind", {"holiday", "adjusted_workday"}, true),
	              text("name_zh", true), text("name_en", true)},
	             {},
	             // Days are exceptions of a loaded year (oversight.calendar_year, 1990-2200).
	             {{"calendar_date", "EXTRACT(year FROM s.calendar_date) NOT BETWEEN 1990 AND 2200",
	               "is outside the calendar's years 1990-2200"}},
	             // A day belongs to a loaded year: register the years of the file (source: the file) when new.
	             "INSERT INTO oversight.calendar_year (calendar_year, source) SELECT DISTINCT EXTRACT(year FROM "
	             "s.calendar_date)::integer, "
	             "'oversight-load ' || $2::text || ' (load ' || $1::bigint || ')' FROM pg_temp.oversight_stage s ON "
	             "CONFLICT (calendar_year) DO NOTHING"});
	// Issue 11: sign-offs, the parties of bids and awards, and the discretion standard.
	k.push_back({"payment-signoffs",
	             "payment_signoff",
	             "sign-offs of payments (经办 → 科长 → 分管领导): oversight.payment_signoff",
	             {"payment_code", "signoff_level"},
	             "(payment_code, signoff_level)",
	             {ref("payment_code", "payment", "payment_code", true),
	              enumeration("signoff_level", {"handler", "section_chief", "leader_in_charge"}, true),
	              ref("person_code", "person", "person_code", true, FieldType::code), timestamp("signed_at")},
	             {},
	             {}});
	k.back().fields[3].required = true;
	k.push_back({"bid-tenderers",
	             "bid_tenderer",
	             "tenderers of each bid (a consortium has several), by code or by name: oversight.bid_tenderer",
	             {"ocid", "bid_id", "party_code"},
	             "(ocid, bid_id, party_code)",
	             {ref("ocid", "procurement_process", "ocid", true), text("bid_id", true),
	              ref("party_code", "party", "party_code", true)},
	             {},
	             {link_exists("bid", "bid_id", "oversight-load bids, or ocds")}});
	k.push_back({"award-suppliers",
	             "award_supplier",
	             "suppliers of each award, by code or by name: oversight.award_supplier",
	             {"ocid", "award_id", "party_code"},
	             "(ocid, award_id, party_code)",
	             {ref("ocid", "procurement_process", "ocid", true), text("award_id", true),
	              ref("party_code", "party", "party_code", true)},
	             {},
	             {link_exists("award", "award_id", "oversight-load awards, or ocds")}});
	k.push_back({"discretion-bands",
	             "discretion_band",
	             "fine ranges of the discretion standard (裁量基准), oversight_admin only: oversight.discretion_band",
	             {"violation_code", "valid_from"},
	             "(violation_code, valid_from)",
	             {text("violation_code", true), date_field("valid_from", true), date_field("valid_to"),
	              amount("min_fine", true), amount("max_fine", true), currency("currency"), text("legal_basis"),
	              text("source")},
	             {ordered("valid_from", "valid_to", true), not_below("min_fine", "max_fine")},
	             {}});
	k.back().writer_role = "oversight_admin";
	for (auto &kind : k)
		if (kind.name.empty())
			kind.name = kind.table;
	return k;
}

} // namespace

std::string FieldSpec::sql_type() const {
	// The SQL type names are the rule core's (one table of them).
	switch (type) {
	case FieldType::amount:
		return core::sql_type_name(core::FieldType::Decimal);
	case FieldType::date:
		return core::sql_type_name(core::FieldType::Date);
	case FieldType::timestamp:
		return core::sql_type_name(core::FieldType::Timestamp);
	case FieldType::integer:
		return core::sql_type_name(core::FieldType::Integer);
	case FieldType::boolean:
		return core::sql_type_name(core::FieldType::Bool);
	default:
		return core::sql_type_name(core::FieldType::Text);
	}
}

const FieldSpec *RecordKind::field(const std::string &name) const {
	int i = field_index(name);
	return i < 0 ? nullptr : &fields[static_cast<size_t>(i)];
}

int RecordKind::field_index(const std::string &name) const {
	for (size_t i = 0; i < fields.size(); ++i)
		if (fields[i].name == name)
			return static_cast<int>(i);
	return -1;
}

const std::vector<RecordKind> &record_kinds() {
	static const std::vector<RecordKind> kinds = build_kinds();
	return kinds;
}

const RecordKind *find_record_kind(const std::string &command) {
	for (const auto &k : record_kinds())
		if (k.command == command)
			return &k;
	return nullptr;
}

std::vector<std::string> fields_provided(const RecordKind &kind, const std::vector<int> &staged_fields) {
	std::vector<int> sorted = staged_fields;
	std::sort(sorted.begin(), sorted.end());
	std::vector<std::string> out;
	for (int f : sorted) {
		const FieldSpec &spec = kind.fields[static_cast<size_t>(f)];
		if (spec.canonical)
			out.push_back(kind.name + "." + spec.name);
	}
	return out;
}

std::string text_array_literal(const std::vector<std::string> &items) {
	std::string out = "{";
	for (const auto &item : items) {
		out += out.size() > 1 ? ",\"" : "\"";
		for (char c : item) {
			if (c == '"' || c == '\\')
				out += '\\';
			out += c;
		}
		out += '"';
	}
	return out + "}";
}

} // namespace oversight::loader
