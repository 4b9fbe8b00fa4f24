// The loader's record kinds and the rule core's (oversight/core/record_kinds.hpp, compiled into the
// loader) agree: one definition of each canonical table's fields, types, key and enumerations.
#include "core/ocds.hpp"
#include "core/record_kinds.hpp"

#include <gtest/gtest.h>

#include "oversight/core/record_kinds.hpp"

using namespace oversight;

namespace {
const loader::RecordKind *loader_kind_of(const core::RecordKindSpec &k) {
	for (const auto &l : loader::record_kinds())
		if (l.table == k.table)
			return &l;
	return nullptr;
}
} // namespace

TEST(SharedRecordKindsTest, EveryRuleRecordKindIsLoadedWithItsFieldsTypesKeyAndEnumerations) {
	for (const auto &k : core::record_kinds()) {
		const loader::RecordKind *l = loader_kind_of(k);
		ASSERT_NE(l, nullptr) << "no CSV kind loads oversight." << k.table;
		std::vector<std::string> key(k.key.begin(), k.key.end());
		EXPECT_EQ(l->key, key) << k.name;
		std::vector<std::string> columns, fields;
		for (const auto &c : k.columns)
			if (c.type != core::FieldType::Json && std::string(c.name) != "load_id") // source documents: OCDS only;
				columns.push_back(c.name); // load_id: the loader writes the load's number itself
		for (const auto &f : l->fields)
			fields.push_back(f.name);
		EXPECT_EQ(fields, columns) << k.name;
		EXPECT_EQ(l->name, k.name); // fields_provided names the shared kind: payment.paid_on
		EXPECT_EQ(l->provenance_column, "load_id") << k.name;
		for (const auto &f : l->fields) {
			const core::ColumnSpec *c = k.column(f.name);
			ASSERT_NE(c, nullptr) << k.name << "." << f.name;
			EXPECT_EQ(f.canonical, c->canonical) << k.name << "." << f.name;
			EXPECT_EQ(f.sql_type(), core::sql_type_name(c->type)) << k.name << "." << f.name;
			if (c->values) {
				EXPECT_EQ(f.type, loader::FieldType::enumeration) << k.name << "." << f.name;
				EXPECT_EQ(f.allowed, *c->values) << k.name << "." << f.name;
			}
			EXPECT_EQ(f.type == loader::FieldType::currency, c->domain == core::Domain::Currency)
			    << k.name << "." << f.name;
			EXPECT_EQ(f.type == loader::FieldType::amount, c->domain == core::Domain::Amount)
			    << k.name << "." << f.name;
		}
	}
	const auto *procurement = loader::find_record_kind("procurement");
	ASSERT_NE(procurement, nullptr);
	EXPECT_EQ(procurement->field("procurement_method")->allowed, core::procurement_methods());
	EXPECT_EQ(loader::find_record_kind("payments")->field("payment_method")->allowed, core::payment_methods());
	// Kinds no rule watches: named by their table, every field theirs, no provenance column.
	const auto *units = loader::find_record_kind("org-units");
	EXPECT_EQ(units->name, "org_unit");
	EXPECT_TRUE(units->provenance_column.empty());
	EXPECT_FALSE(units->field("name_zh")->required); // a unit may have an English name only (0.4.0)
}

TEST(SharedRecordKindsTest, OcdsStagingColumnsAreTypedByTheDefinition) {
	size_t shared = 0;
	for (const auto &t : loader::ocds_stage_tables())
		for (const auto &k : core::record_kinds())
			if (t.target == k.table) {
				++shared;
				for (const auto &c : t.columns) {
					const core::ColumnSpec *spec = k.column(c.name);
					ASSERT_NE(spec, nullptr) << t.target << "." << c.name;
					EXPECT_EQ(c.sql_type, core::sql_type_name(spec->type)) << t.target << "." << c.name;
					EXPECT_EQ(c.field, spec->canonical) << t.target << "." << c.name;
				}
				EXPECT_EQ(t.kind_name, k.name);
				EXPECT_EQ(t.provenance_column, "load_id");
			}
	EXPECT_EQ(shared, 3u); // procurement_process, bid, contract
	const auto &party = loader::ocds_stage_tables()[static_cast<size_t>(loader::OcdsTable::party)];
	EXPECT_EQ(party.kind_name, "party");
	EXPECT_TRUE(party.provenance_column.empty());
	EXPECT_FALSE(party.columns.back().field); // source_document: no field
}
