#include "oversight/core/record_kinds.hpp"

#include <algorithm>

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

namespace {
// Function-local statics: safe to use from any other file's static initialisation.
const Values &payment_status_values() {
	static const Values v = {"requested", "approved", "held", "paid", "returned"};
	return v;
}
const Values &payment_kind_values() {
	static const Values v = {payment_kind::payment, payment_kind::refund, payment_kind::credit_note};
	return v;
}
const Values &fund_kind_values() {
	static const Values v = {"general", "special"};
	return v;
}
const Values &penalty_kind_values() {
	static const Values v = {"warning", penalty_kind::fine, "confiscation", "suspension", "other"};
	return v;
}
const Values &collected_by_values() {
	static const Values v = {collected_by::designated_bank, collected_by::deciding_agency};
	return v;
}
const Values &enforcement_status_values() {
	static const Values v = {"decided", "paid", "enforced", "reconsidered", "revoked", "closed"};
	return v;
}

using F = FieldType;
using D = Domain;
constexpr bool canonical = true, stored = false; // stored: a column of the table only (loader, reports)

RecordKindSpec payment() {
	return {RecordKind::Payment,
	        "payment",
	        "payment",
	        {"payment_code"},
	        "payer_unit_code",
	        {{"payment_code", F::Text, canonical},
	         {"payer_unit_code", F::Text, canonical},
	         {"payee_name", F::Text, canonical},
	         {"payee_party_code", F::Text, canonical},
	         {"payee_account", F::Text, canonical},
	         {"amount", F::Decimal, canonical, D::Amount},
	         {"currency", F::Text, canonical, D::Currency},
	         {"purpose", F::Text, canonical},
	         {"expense_type", F::Text, canonical},
	         {"payment_method", F::Text, canonical, D::None, &payment_methods()},
	         {"contract_code", F::Text, canonical},
	         {"invoice_no", F::Text, canonical},
	         {"budget_project_code", F::Text, canonical},
	         {"allocation_code", F::Text, canonical},
	         {"delivered_on", F::Date, canonical},
	         {"requested_on", F::Date, canonical},
	         {"approved_at", F::Timestamp, canonical},
	         {"paid_on", F::Date, canonical},
	         {"handler_code", F::Text, canonical},
	         {"approver_code", F::Text, canonical},
	         {"status", F::Text, canonical, D::None, &payment_status_values()},
	         {"payment_kind", F::Text, canonical, D::None, &payment_kind_values()},
	         {"refund_of", F::Text, canonical},
	         {"load_id", F::BigInt, stored}},
	        {}};
}

RecordKindSpec procurement() {
	return {RecordKind::Procurement,
	        "procurement",
	        "procurement_process",
	        {"ocid"},
	        "buyer_unit_code",
	        {{"ocid", F::Text, canonical},
	         {"title", F::Text, stored},
	         {"description", F::Text, stored},
	         {"buyer_unit_code", F::Text, canonical},
	         {"buyer_party_code", F::Text, stored},
	         {"procuring_entity_party_code", F::Text, stored},
	         {"budget_project_code", F::Text, canonical},
	         {"fiscal_year", F::Integer, canonical, D::FiscalYear},
	         {"category_code", F::Text, canonical},
	         {"main_procurement_category", F::Text, canonical, D::None, &procurement_categories()},
	         {"procurement_method", F::Text, canonical, D::None, &procurement_methods()},
	         {"method_details", F::Text, canonical},
	         {"method_approval_ref", F::Text, canonical},
	         {"estimated_value", F::Decimal, canonical, D::Amount},
	         {"currency", F::Text, canonical, D::Currency},
	         {"tender_status", F::Text, canonical},
	         {"tender_period_start", F::Timestamp, canonical},
	         {"tender_period_end", F::Timestamp, canonical},
	         {"number_of_tenderers", F::Integer, canonical},
	         {"handler_code", F::Text, canonical},
	         {"approver_code", F::Text, canonical},
	         {"published_at", F::Timestamp, stored},
	         {"source_document", F::Json, stored},
	         {"load_id", F::BigInt, stored}},
	        {}};
}

RecordKindSpec bid() {
	return {RecordKind::Bid,
	        "bid",
	        "bid",
	        {"ocid", "bid_id"},
	        nullptr,
	        {{"ocid", F::Text, canonical},
	         {"bid_id", F::Text, canonical},
	         {"lot_id", F::Text, canonical},
	         {"amount", F::Decimal, canonical, D::Amount},
	         {"currency", F::Text, canonical, D::Currency},
	         {"submitted_at", F::Text, stored},
	         {"status", F::Text, canonical},
	         {"bond_account", F::Text, canonical},
	         {"contact_name", F::Text, canonical},
	         {"source_document", F::Json, stored},
	         {"load_id", F::BigInt, stored},
	         {"published_status", F::Text, stored}},
	        {}};
}

RecordKindSpec contract() {
	return {RecordKind::Contract,
	        "contract",
	        "contract",
	        {"contract_code"},
	        "buyer_unit_code",
	        {{"contract_code", F::Text, canonical},
	         {"ocid", F::Text, canonical},
	         {"award_id", F::Text, stored},
	         {"buyer_unit_code", F::Text, canonical},
	         {"supplier_party_code", F::Text, canonical},
	         {"title", F::Text, stored},
	         {"amount", F::Decimal, canonical, D::Amount},
	         {"currency", F::Text, canonical, D::Currency},
	         {"status", F::Text, canonical},
	         {"signed_on", F::Date, canonical},
	         {"period_start", F::Date, stored},
	         {"period_end", F::Date, stored},
	         {"parent_contract_code", F::Text, canonical},
	         {"payment_term_days", F::Integer, canonical},
	         {"source_document", F::Json, stored},
	         {"load_id", F::BigInt, stored}},
	        {}};
}

RecordKindSpec fund_allocation() {
	return {RecordKind::FundAllocation,
	        "fund_allocation",
	        "fund_allocation",
	        {"allocation_code"},
	        "recipient_unit_code",
	        {{"allocation_code", F::Text, canonical},
	         {"budget_project_code", F::Text, canonical},
	         {"recipient_unit_code", F::Text, canonical},
	         {"recipient_name", F::Text, canonical},
	         {"amount", F::Decimal, canonical, D::Amount},
	         {"currency", F::Text, canonical, D::Currency},
	         {"purpose", F::Text, canonical},
	         {"fund_kind", F::Text, canonical, D::None, &fund_kind_values()},
	         {"allocated_on", F::Date, canonical},
	         {"document_ref", F::Text, stored},
	         {"handler_code", F::Text, canonical},
	         {"approver_code", F::Text, canonical},
	         {"load_id", F::BigInt, stored}},
	        {}};
}

RecordKindSpec enforcement() {
	return {RecordKind::Enforcement,
	        "enforcement",
	        "enforcement_case",
	        {"case_code"},
	        "deciding_unit_code",
	        {{"case_code", F::Text, canonical},
	         {"deciding_unit_code", F::Text, canonical},
	         {"subject_name", F::Text, stored},
	         {"subject_party_code", F::Text, stored},
	         {"violation_code", F::Text, canonical},
	         {"legal_basis", F::Text, stored},
	         {"decided_on", F::Date, canonical},
	         {"penalty_kind", F::Text, canonical, D::None, &penalty_kind_values()},
	         {"fine_amount", F::Decimal, canonical, D::Amount},
	         {"currency", F::Text, canonical, D::Currency},
	         {"collected_by", F::Text, canonical, D::None, &collected_by_values()},
	         {"paid_on", F::Date, canonical},
	         {"paid_amount", F::Decimal, canonical, D::Amount},
	         {"handler_code", F::Text, canonical},
	         {"approver_code", F::Text, canonical},
	         {"status", F::Text, canonical, D::None, &enforcement_status_values()},
	         {"load_id", F::BigInt, stored}},
	        {}};
}

std::vector<RecordKindSpec> build() {
	std::vector<RecordKindSpec> kinds = {payment(), procurement(), bid(), contract(), fund_allocation(), enforcement()};
	for (auto &k : kinds)
		for (const auto &c : k.columns)
			if (c.canonical)
				k.fields.push_back({c.name, c.type});
	return kinds;
}
} // namespace

const Values &procurement_methods() {
	static const Values v = {procurement_method::open, procurement_method::selective, procurement_method::limited,
	                         procurement_method::direct};
	return v;
}
const Values &procurement_categories() {
	static const Values v = {procurement_category::goods, procurement_category::works, procurement_category::services};
	return v;
}
const Values &payment_methods() {
	static const Values v = {payment_method::transfer, payment_method::cash, payment_method::official_card};
	return v;
}
const Values &non_open_procurement_methods() {
	static const Values v = [] {
		Values out;
		for (const auto &m : procurement_methods())
			if (m != procurement_method::open)
				out.push_back(m);
		return out;
	}();
	return v;
}

const ColumnSpec *RecordKindSpec::column(const std::string &name) const {
	for (const auto &c : columns)
		if (name == c.name)
			return &c;
	return nullptr;
}

const std::vector<RecordKindSpec> &record_kinds() {
	static const std::vector<RecordKindSpec> kinds = build();
	return kinds;
}

const RecordKindSpec &record_kind(RecordKind kind) {
	return record_kinds()[static_cast<size_t>(kind)];
}

std::optional<RecordKind> parse_record_kind(const std::string &name) {
	for (const auto &k : record_kinds())
		if (name == k.name)
			return k.kind;
	return std::nullopt;
}

const char *record_kind_name(RecordKind kind) {
	return record_kind(kind).name;
}

const std::vector<FieldSpec> &record_fields(RecordKind kind) {
	return record_kind(kind).fields;
}

int field_index(RecordKind kind, const std::string &name) {
	const auto &fields = record_fields(kind);
	for (size_t i = 0; i < fields.size(); ++i)
		if (name == fields[i].name)
			return static_cast<int>(i);
	return -1;
}

const char *sql_type_name(FieldType type) {
	switch (type) {
	case F::Text:
		return "text";
	case F::Decimal:
		return "numeric";
	case F::Integer:
		return "integer";
	case F::BigInt:
		return "bigint";
	case F::Date:
		return "date";
	case F::Timestamp:
		return "timestamptz";
	case F::Bool:
		return "boolean";
	case F::Json:
		return "jsonb";
	}
	return "text";
}

const char *domain_name(Domain domain) {
	switch (domain) {
	case D::None:
		return nullptr;
	case D::Amount:
		return "amount";
	case D::Currency:
		return "currency";
	case D::FiscalYear:
		return "fiscal_year";
	}
	return nullptr;
}

const char *unit_field(RecordKind kind) {
	return record_kind(kind).unit_field;
}

std::string json_string_list(const Values &items) {
	std::string out = "[";
	for (size_t i = 0; i < items.size(); ++i) {
		out += i ? ", \"" : "\"";
		for (char c : items[i]) {
			if (c == '"' || c == '\\')
				out += '\\';
			out += c;
		}
		out += '"';
	}
	return out + "]";
}

} // namespace oversight::core
