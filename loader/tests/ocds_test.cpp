// OCDS: normalisation, merging, classification of documents and flattening onto the staging tables.
#include "core/alert_line.hpp"
#include "core/encoding.hpp"
#include "core/ocds.hpp"
#include "core/sha256.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

using namespace oversight::loader;
using namespace std::string_literals;

namespace {

Json parse(const std::string &text) {
	simdjson::dom::parser p;
	return from_dom(p.parse(simdjson::padded_string(text)).value());
}

std::string write_temp(const std::string &name, const std::string &bytes) {
	std::string path = ::testing::TempDir() + name;
	std::ofstream(path, std::ios::binary) << bytes;
	return path;
}

std::vector<OcdsItem> read_ocds(const std::string &path) {
	std::vector<OcdsItem> items;
	OcdsReader reader(path, OcdsFormat::automatic);
	reader.run([&](OcdsItem &i) { items.push_back(i); }, [](std::uint64_t) {});
	return items;
}

std::vector<OcdsItem> items_of(const std::string &text) {
	std::vector<OcdsItem> out;
	emit_document_items(parse(text), 1, true, text, [&](OcdsItem &i) { out.push_back(i); });
	return out;
}

const std::vector<StageRow> &rows(const OcdsRows &r, OcdsTable t) {
	return r[static_cast<size_t>(t)];
}

std::string column(OcdsTable t, const StageRow &row, const std::string &name) {
	const auto &cols = ocds_stage_tables()[static_cast<size_t>(t)].columns;
	for (size_t i = 0; i < cols.size(); ++i)
		if (cols[i].name == name)
			return row[i].value_or("NULL");
	return "no such column";
}

} // namespace

TEST(Json, NormalisesObjectsWhereArraysAndNumericIds) {
	Json j = parse(R"({"tender":{"items":[{"id":1,"quantity":2.5}],"milestones":[{"id":7,"documents":{"id":"d1"}}]}})");
	EXPECT_EQ(
	    dump(j),
	    R"({"tender":{"items":[{"id":"1","quantity":2.5}],"milestones":[{"id":"7","documents":[{"id":"d1"}]}]}})");
}

TEST(Json, OcdsMergeByIdentifierNullRemovesArraysReplace) {
	Json compiled = parse(
	    R"({"ocid":"o","tender":{"title":"A","status":"planned"},"awards":[{"id":"1","status":"pending"}],"tag":["tender"]})");
	ocds_merge(
	    compiled,
	    parse(
	        R"({"tender":{"status":"active","title":null},"awards":[{"id":"1","status":"active"},{"id":"2"}],"tag":["award"]})"));
	EXPECT_EQ(
	    dump(compiled),
	    R"({"ocid":"o","tender":{"status":"active"},"awards":[{"id":"1","status":"active"},{"id":"2"}],"tag":["award"]})");
}

// A package's releases are handed out one by one (each is stored as received); compiling the releases of
// one ocid merges them in date order, whatever their order in the package.
TEST(OcdsDocuments, ReleasePackageMergesReleasesOfOneOcidInDateOrder) {
	auto items = items_of(R"({"version":"1.1","releases":[
	  {"ocid":"ocds-1","id":"2","date":"2020-02-01","tender":{"status":"active"}},
	  {"ocid":"ocds-1","id":"1","date":"2020-01-01","tender":{"status":"planning","title":"Pens"}},
	  {"id":"3","date":"2020-01-01"},
	  {"ocid":"ocds-2","id":"1","date":"2020-01-01"}]})");
	ASSERT_EQ(items.size(), 4u);
	EXPECT_EQ(items[2].error, "release has no ocid");
	EXPECT_EQ(items[2].item_no, 3u);
	EXPECT_EQ(items[0].ocid, "ocds-1");
	EXPECT_EQ(items[0].item_no, 1u);
	EXPECT_EQ(items[1].item_no, 2u);
	EXPECT_EQ(items[3].ocid, "ocds-2");
	EXPECT_EQ(items[0].kind, ReleaseKind::release);
	Json compiled = compile_releases(
	    {{ReleaseKind::release, "a", *items[0].document}, {ReleaseKind::release, "b", *items[1].document}});
	EXPECT_EQ(at(compiled, {"tender", "status"})->get<std::string>(), "active");
	EXPECT_EQ(at(compiled, {"tender", "title"})->get<std::string>(), "Pens");
	EXPECT_EQ(dump(*find(compiled, "tag")), R"(["compiled"])");
	EXPECT_EQ(get_text(compiled, "id"), "2"); // the latest release's
}

TEST(OcdsDocuments, RecordsUseTheirCompiledRelease) {
	auto items = items_of(
	    R"({"records":[{"ocid":"o1","compiledRelease":{"tag":["compiled"]}},{"ocid":"o2","releases":[{"url":"x"}]}]})");
	ASSERT_EQ(items.size(), 2u);
	ASSERT_TRUE(items[0].document);
	EXPECT_EQ(items[0].kind, ReleaseKind::compiled);
	EXPECT_EQ(items[0].ocid, "o1"); // the record's ocid where the compiled release has none
	EXPECT_NE(items[1].error.find("linked"), std::string::npos);
	auto single = items_of(R"({"compiledRelease":{"ocid":"o3"},"releases":[]})");
	ASSERT_EQ(single.size(), 1u);
	EXPECT_EQ(single[0].ocid, "o3");
	EXPECT_NE(items_of(R"({"hello":1})")[0].error.find("not an OCDS"), std::string::npos);
	// A record without a compiled release: each embedded release, as a release.
	auto embedded = items_of(R"({"ocid":"o4","releases":[{"id":"1","tag":["tender"]},{"id":"2","tag":["award"]}]})");
	ASSERT_EQ(embedded.size(), 2u);
	EXPECT_EQ(embedded[1].ocid, "o4");
	EXPECT_EQ(embedded[1].kind, ReleaseKind::release);
	// A JSON Lines line tagged compiled is a compiled release.
	EXPECT_EQ(items_of(R"({"ocid":"o5","tag":["compiled"]})")[0].kind, ReleaseKind::compiled);
}

namespace {

// Every order of `releases` (all permutations) compiles to the same bytes; returns that document.
std::string compiled_in_every_order(const std::vector<StoredRelease> &releases) {
	std::vector<size_t> order(releases.size());
	for (size_t i = 0; i < order.size(); ++i)
		order[i] = i;
	std::string first;
	size_t orders = 0;
	do {
		std::vector<StoredRelease> shuffled;
		for (size_t i : order)
			shuffled.push_back(releases[i]);
		std::string text = dump(compile_releases(shuffled));
		if (orders++ == 0)
			first = text;
		else
			EXPECT_EQ(text, first) << "order #" << orders;
	} while (std::next_permutation(order.begin(), order.end()));
	return first;
}

std::string sha256_of(const std::string &text) {
	Sha256 h;
	h.update(text);
	return h.hex_digest();
}

StoredRelease stored(const std::string &text, ReleaseKind kind = ReleaseKind::release) {
	Json doc = parse(text);
	return {kind, sha256_of(dump(doc)), doc};
}

} // namespace

// Issue 12's minimal case: a tender release and a later award release, received in either order, compile
// to one document holding both; a newer release without a tender does not blank the tender.
TEST(OcdsCompile, TheSameReleasesInAnyOrderGiveTheSameDocument) {
	StoredRelease tender = stored(R"({"ocid":"X","id":"t","date":"2024-01-01T00:00:00Z","tag":["tender"],
	  "tender":{"title":"Beds","procurementMethod":"open","value":{"amount":100,"currency":"CNY"},
	            "tenderPeriod":{"startDate":"2024-01-01T00:00:00Z","endDate":"2024-01-25T00:00:00Z"}}})");
	StoredRelease award = stored(R"({"ocid":"X","id":"a","date":"2024-02-01T00:00:00Z","tag":["award"],
	  "awards":[{"id":"a1","status":"active","value":{"amount":90,"currency":"CNY"}}]})");
	std::string both = compiled_in_every_order({tender, award});
	Json compiled = parse(both);
	EXPECT_EQ(get_text(*find(compiled, "tender"), "title"), "Beds");
	EXPECT_EQ(get_text(*at(compiled, {"tender", "tenderPeriod"}), "endDate"), "2024-01-25T00:00:00Z");
	ASSERT_EQ(array(compiled, "awards").size(), 1u);
	EXPECT_EQ(get_text(compiled, "date"), "2024-02-01T00:00:00Z"); // the latest
	EXPECT_EQ(get_text(compiled, "id"), "a");

	// More releases: an amendment of the tender, a second award merged by id, a release dated with another
	// offset (2024-02-01T07:00+08:00 is 2024-01-31T23:00Z: before the award release, though its text sorts
	// after), a compiled release at the award release's instant (merged after it), and two different
	// releases under one id and date (ordered by content).
	StoredRelease amendment = stored(R"({"ocid":"X","id":"t2","date":"2024-01-10T00:00:00Z",
	  "tender":{"title":"Hospital beds","value":{"amount":120,"currency":"CNY"}}})");
	StoredRelease offset = stored(R"({"ocid":"X","id":"o","date":"2024-02-01T07:00:00+08:00",
	  "tender":{"status":"complete"},"awards":[{"id":"a1","status":"pending"},{"id":"a2","status":"pending"}]})");
	StoredRelease compiled_release = stored(
	    R"({"ocid":"X","id":"c","date":"2024-02-01T00:00:00Z","tag":["compiled"],"buyer":{"id":"B","name":"City"}})",
	    ReleaseKind::compiled);
	StoredRelease twin1 =
	    stored(R"({"ocid":"X","id":"d","date":"2024-03-01T00:00:00Z","tender":{"description":"one"}})");
	StoredRelease twin2 =
	    stored(R"({"ocid":"X","id":"d","date":"2024-03-01T00:00:00Z","tender":{"description":"two"}})");
	Json all = parse(compiled_in_every_order({tender, award, amendment, offset, compiled_release, twin1}));
	EXPECT_EQ(get_text(*find(all, "tender"), "title"), "Hospital beds");
	EXPECT_EQ(get_text(*at(all, {"tender", "value"}), "amount"), "120");
	EXPECT_EQ(get_text(*find(all, "tender"), "status"), "complete");
	ASSERT_EQ(array(all, "awards").size(), 2u);
	EXPECT_EQ(get_text(array(all, "awards")[0], "status"), "active"); // the award release comes after 07:00+08:00
	EXPECT_EQ(get_text(*find(all, "buyer"), "name"), "City");
	EXPECT_EQ(get_text(all, "id"), "d");
	std::string with_twins = compiled_in_every_order({tender, award, twin1, twin2});
	std::string expected_twin = twin1.hash < twin2.hash ? "two" : "one"; // the greater hash merges last
	EXPECT_EQ(get_text(*find(parse(with_twins), "tender"), "description"), expected_twin);

	// One release is its own compiled release, as published.
	EXPECT_EQ(dump(compile_releases({tender})), dump(tender.document));
}

TEST(OcdsCompile, ReleaseDateKeysSortByInstant) {
	auto key = [](const std::string &date) { return release_date_key(parse(R"({"date":")" + date + R"("})")); };
	EXPECT_LT(key("2016-11-04T21:55:56.042551+02:00"), key("2016-11-04T20:00:00Z"));
	EXPECT_EQ(key("2024-02-01T07:00:00+08:00"), key("2024-01-31T23:00:00Z"));
	EXPECT_LT(key("2024-01-31T23:00:00Z"), key("2024-01-31T23:00:00.000001Z"));
	EXPECT_LT(key("1999-12-31T23:59:59Z"), key("2000-01-01T00:00:00Z"));
	EXPECT_LT(key("2024-01-01T00:00:00-05:00"), key("2024-01-01T06:00:00Z"));
	EXPECT_EQ(key("not a date"), "");
	EXPECT_EQ(release_date_key(parse(R"({"ocid":"x"})")), "");
	EXPECT_LT(key("not a date"), key("1900-01-01T00:00:00Z"));
}

// An empty file is unusable (exit 3), as the README says, not a quarantined item.
TEST(OcdsReader, AFileWithoutJsonTextIsUnusable) {
	for (const char *bytes : {"", "  \n\t", "\xEF\xBB\xBF\n"}) {
		EXPECT_THROW(read_ocds(write_temp("empty.json", bytes)), InputError) << bytes;
		EXPECT_THROW(read_ocds(write_temp("empty.jsonl", bytes)), InputError) << bytes;
	}
}

TEST(OcdsFlatten, PartiesByIdentifierBidsAwardsContracts) {
	Json release = parse(R"({"ocid":"ocds-x","date":"2016-06-02T10:00:00+03:00",
	  "parties":[{"id":"UA-EDR-1","name":"Buyer","identifier":{"scheme":"UA-EDR","id":"1"},"roles":["buyer"]},
	             {"id":"p2","name":"","identifier":{"scheme":"UA-EDR","id":"2","legalName":"Supplier Ltd"}}],
	  "buyer":{"id":"UA-EDR-1","name":"Buyer"},
	  "tender":{"title":"Paper","procurementMethod":"Licitaţie publică","value":{"amount":"1000","currency":"uah"},
	            "tenderPeriod":{"startDate":"2016-06-02T10:00:00+03:00","endDate":"2016-06-22T10:00:00+03:00"},"numberOfTenderers":1,
	            "lots":[{"id":1,"title":"Lot 1"}]},
	  "bids":{"details":[{"id":"b1","status":"active","value":{"amount":900,"currency":"UAH"},"tenderers":[{"id":"p2"}]}]},
	  "awards":[{"id":"a1","status":"active","suppliers":[{"id":"p2","name":"Supplier"}],"value":{"amount":-1,"currency":"UAH"}}],
	  "contracts":[{"id":"c1","awardID":"a1","dateSigned":"2016-07-18T00:00:00+03:00"},{"id":"c2","awardID":"nope"}]})");
	OcdsRows r;
	flatten_compiled_release(release, r);
	ASSERT_EQ(rows(r, OcdsTable::party).size(), 2u);
	EXPECT_EQ(column(OcdsTable::party, rows(r, OcdsTable::party)[1], "party_code"), "UA-EDR-2");
	EXPECT_EQ(column(OcdsTable::party, rows(r, OcdsTable::party)[1], "name"),
	          "Supplier Ltd"); // empty name: the legal name
	const auto &p = rows(r, OcdsTable::process).at(0);
	EXPECT_EQ(column(OcdsTable::process, p, "buyer_party_code"), "UA-EDR-1");
	EXPECT_EQ(column(OcdsTable::process, p, "procurement_method"), "NULL");
	EXPECT_EQ(column(OcdsTable::process, p, "method_details"), "Licitaţie publică");
	EXPECT_EQ(column(OcdsTable::process, p, "estimated_value"), "1000");
	EXPECT_EQ(column(OcdsTable::process, p, "currency"), "UAH");
	EXPECT_EQ(column(OcdsTable::process, p, "number_of_tenderers"), "1");
	EXPECT_EQ(column(OcdsTable::lot, rows(r, OcdsTable::lot).at(0), "lot_id"), "1");
	EXPECT_EQ(column(OcdsTable::bid, rows(r, OcdsTable::bid).at(0), "status"), "valid"); // ProZorro "active"
	EXPECT_EQ(column(OcdsTable::bid_tenderer, rows(r, OcdsTable::bid_tenderer).at(0), "party_code"), "UA-EDR-2");
	EXPECT_EQ(column(OcdsTable::award, rows(r, OcdsTable::award).at(0), "amount"),
	          "NULL"); // negative: kept in the document only
	ASSERT_EQ(rows(r, OcdsTable::contract).size(), 2u);
	EXPECT_EQ(column(OcdsTable::contract, rows(r, OcdsTable::contract)[0], "contract_code"), "ocds-x/c1");
	EXPECT_EQ(column(OcdsTable::contract, rows(r, OcdsTable::contract)[0], "supplier_party_code"), "UA-EDR-2");
	EXPECT_EQ(column(OcdsTable::contract, rows(r, OcdsTable::contract)[0], "signed_on"), "2016-07-18");
	EXPECT_EQ(column(OcdsTable::contract, rows(r, OcdsTable::contract)[1], "award_id"),
	          "NULL"); // names no award of the process
}

// Issue 12, item 3: the mapping of a compiled release beyond the first item and the organisations with ids.
OcdsRows flattened(const std::string &text) {
	OcdsRows r;
	flatten_compiled_release(parse(text), r);
	return r;
}

// The mapping notes as "path reason_code" lines, sorted.
std::vector<std::string> notes(const OcdsRows &r) {
	std::vector<std::string> out;
	for (const auto &n : rows(r, OcdsTable::mapping_note))
		out.push_back(column(OcdsTable::mapping_note, n, "path") + " " + column(OcdsTable::mapping_note, n, "reason_code"));
	std::sort(out.begin(), out.end());
	return out;
}

std::string party_code_named(const OcdsRows &r, const std::string &name) {
	for (const auto &p : rows(r, OcdsTable::party))
		if (column(OcdsTable::party, p, "name") == name)
			return column(OcdsTable::party, p, "party_code");
	return "none";
}

TEST(OcdsMapping, OrganisationsNamedWithoutIdAreOnePartyByNormalisedName) {
	auto r = flattened(R"({"ocid":"ocds-m","buyer":{"name":"Secretaría de Salud"},
	  "awards":[{"id":"a1","suppliers":[{"name":"ACME  S.A. de C.V."}]},{"id":"a2","suppliers":[{"name":"acme s.a. de c.v."}]}]})");
	std::string supplier = party_code_named(r, "ACME  S.A. de C.V.");
	EXPECT_EQ(supplier.rfind("name:", 0), 0u) << supplier;
	// the spellings of one name are one party, linked to both awards
	ASSERT_EQ(rows(r, OcdsTable::award_supplier).size(), 2u);
	EXPECT_EQ(column(OcdsTable::award_supplier, rows(r, OcdsTable::award_supplier)[1], "party_code"), supplier);
	EXPECT_EQ(rows(r, OcdsTable::party).size(), 2u);
	EXPECT_EQ(column(OcdsTable::process, rows(r, OcdsTable::process).at(0), "buyer_party_code"),
	          party_code_named(r, "Secretaría de Salud"));
	// and the same name in another process is the same party
	auto other = flattened(R"({"ocid":"ocds-n","tender":{"tenderers":[{"name":"ACME S.A. DE C.V."}]}})");
	EXPECT_EQ(party_code_named(other, "ACME S.A. DE C.V."), supplier);
}

TEST(OcdsMapping, ANameOnlyReferenceIsThePartyOfThatNameWithItsRoles) {
	auto r = flattened(R"({"ocid":"ocds-p","parties":[{"id":"PY-1","name":"Municipalidad de Asunción","roles":["buyer"]}],
	  "buyer":{"name":"Municipalidad de Asunción"},"tender":{"procuringEntity":{"id":"PY-1"}}})");
	ASSERT_EQ(rows(r, OcdsTable::party).size(), 1u);
	EXPECT_EQ(column(OcdsTable::process, rows(r, OcdsTable::process).at(0), "buyer_party_code"), "PY-1");
	EXPECT_EQ(column(OcdsTable::party, rows(r, OcdsTable::party)[0], "roles"), R"({"buyer","procuringEntity"})");
}

TEST(OcdsMapping, EveryItemBudgetPeriodsCriteriaAmendmentsRelatedProcesses) {
	auto r = flattened(R"({"ocid":"ocds-i","id":"r9",
	  "planning":{"budget":{"id":"B-1","description":"Health 2024","amount":{"amount":500000,"currency":"PYG"},
	              "project":"Beds","projectID":"P-7","period":{"startDate":"2024-01-01T00:00:00Z","endDate":"2024-12-31T23:59:59Z"}}},
	  "tender":{"awardCriteria":"priceOnly","enquiryPeriod":{"startDate":"2024-02-01T00:00:00Z","endDate":"2024-02-10T00:00:00Z"},
	            "awardPeriod":{"startDate":"2024-03-01T00:00:00Z"},
	            "items":[{"id":"1","description":"Bed","classification":{"scheme":"UNSPSC","id":"56101500"},"quantity":10,
	                      "unit":{"name":"unit","value":{"amount":350.5,"currency":"PYG"}}},
	                     {"id":"2","classification":{"scheme":"UNSPSC","id":"42192200"},"quantity":"2"}],
	            "amendments":[{"id":"am1","date":"2024-02-05T00:00:00Z","rationale":"more beds"}]},
	  "awards":[{"id":"a1","relatedBid":"b7","items":[{"id":"1","quantity":10}]}],
	  "contracts":[{"id":"c1","awardID":"a1","items":[{"id":"1"}],"amendment":{"date":"2024-05-01T00:00:00Z","rationale":"extension"},
	                "relatedProcesses":[{"id":"1","relationship":["framework"],"scheme":"ocid","identifier":"ocds-fw"}]}],
	  "relatedProcesses":[{"id":"1","relationship":["planning","parent"],"title":"Plan","scheme":"ocid","identifier":"ocds-plan"}]})");
	const auto &items = rows(r, OcdsTable::item);
	ASSERT_EQ(items.size(), 4u); // two tender items, the award's and the contract's
	EXPECT_EQ(column(OcdsTable::item, items[0], "classification_id"), "56101500");
	EXPECT_EQ(column(OcdsTable::item, items[0], "quantity"), "10");
	EXPECT_EQ(column(OcdsTable::item, items[0], "unit_value"), "350.5");
	EXPECT_EQ(column(OcdsTable::item, items[1], "classification_id"), "42192200"); // not only the first item
	EXPECT_EQ(column(OcdsTable::item, items[2], "scope") + " " + column(OcdsTable::item, items[2], "parent_id"), "award a1");
	EXPECT_EQ(column(OcdsTable::item, items[3], "scope") + " " + column(OcdsTable::item, items[3], "parent_id"), "contract c1");
	const auto &p = rows(r, OcdsTable::process).at(0);
	EXPECT_EQ(column(OcdsTable::process, p, "category_code"), "56101500");
	EXPECT_EQ(column(OcdsTable::process, p, "budget_project_code"), "P-7");
	EXPECT_EQ(column(OcdsTable::process, p, "fiscal_year"), "2024");
	const auto &d = rows(r, OcdsTable::process_detail).at(0);
	EXPECT_EQ(column(OcdsTable::process_detail, d, "budget_amount"), "500000");
	EXPECT_EQ(column(OcdsTable::process_detail, d, "budget_project"), "Beds");
	EXPECT_EQ(column(OcdsTable::process_detail, d, "award_criteria"), "priceOnly");
	EXPECT_EQ(column(OcdsTable::process_detail, d, "enquiry_period_end"), "2024-02-10 00:00:00+00:00");
	EXPECT_EQ(column(OcdsTable::process_detail, d, "award_period_start"), "2024-03-01 00:00:00+00:00");
	EXPECT_EQ(column(OcdsTable::award, rows(r, OcdsTable::award).at(0), "related_bid_id"), "b7");
	const auto &am = rows(r, OcdsTable::amendment);
	ASSERT_EQ(am.size(), 2u); // the tender's (1.1 array) and the contract's (1.0 object)
	EXPECT_EQ(column(OcdsTable::amendment, am[0], "rationale"), "more beds");
	EXPECT_EQ(column(OcdsTable::amendment, am[1], "scope") + " " + column(OcdsTable::amendment, am[1], "rationale"),
	          "contract extension");
	const auto &rp = rows(r, OcdsTable::related_process);
	ASSERT_EQ(rp.size(), 2u);
	EXPECT_EQ(column(OcdsTable::related_process, rp[0], "relationship"), R"({"planning","parent"})");
	EXPECT_EQ(column(OcdsTable::related_process, rp[1], "scope") + " " + column(OcdsTable::related_process, rp[1], "identifier"),
	          "contract ocds-fw");
	EXPECT_TRUE(notes(r).empty());
}

TEST(OcdsMapping, FiscalYearOnlyWhenTheBudgetPeriodIsOneYear) {
	auto year = [](const std::string &period) {
		auto r = flattened(R"({"ocid":"x","planning":{"budget":{"period":)" + period + "}}}");
		return column(OcdsTable::process, rows(r, OcdsTable::process).at(0), "fiscal_year");
	};
	EXPECT_EQ(year(R"({"startDate":"2023-07-01T00:00:00Z","endDate":"2024-06-30T00:00:00Z"})"), "NULL");
	EXPECT_EQ(year(R"({"startDate":"2023-01-01T00:00:00Z"})"), "2023");
	EXPECT_EQ(year(R"({})"), "NULL");
}

TEST(OcdsMapping, NumberOfTenderersIsPublishedElseTheDistinctTenderersListed) {
	auto count = [](const std::string &tender) {
		auto r = flattened(R"({"ocid":"x","tender":)" + tender + "}");
		return column(OcdsTable::process, rows(r, OcdsTable::process).at(0), "number_of_tenderers") + " " +
		       column(OcdsTable::process_detail, rows(r, OcdsTable::process_detail).at(0), "tenderers_source") + " " +
		       std::to_string(rows(r, OcdsTable::tenderer).size());
	};
	// every Nigerian process: one tenderer listed, no numberOfTenderers
	EXPECT_EQ(count(R"({"tenderers":[{"id":"NG-1","name":"Only Ltd"}]})"), "1 tenderers 1");
	EXPECT_EQ(count(R"({"tenderers":[{"id":"1"},{"id":"2"},{"name":"Three"},{"id":"1"}]})"), "3 tenderers 3");
	EXPECT_EQ(count(R"({"numberOfTenderers":5,"tenderers":[{"id":"1"}]})"), "5 numberOfTenderers 1");
	EXPECT_EQ(count(R"({"title":"none"})"), "NULL NULL 0");
}

TEST(OcdsMapping, BidStatusesMapToTheCodelistKeepingThePublishedValue) {
	auto r = flattened(R"({"ocid":"x","bids":{"details":[{"id":"1","status":"qualified"},{"id":"2","status":"not-qualified"},
	  {"id":"3","status":"InTreatment"},{"id":"4","status":"Disqualified"},{"id":"5","status":"withdrawn"},
	  {"id":"6","status":"active"},{"id":"7","status":"on hold"},{"id":"8"}]}})");
	std::vector<std::string> got;
	for (const auto &b : rows(r, OcdsTable::bid))
		got.push_back(column(OcdsTable::bid, b, "status") + "/" + column(OcdsTable::bid, b, "published_status"));
	EXPECT_EQ(got, (std::vector<std::string>{"valid/qualified", "disqualified/not-qualified", "pending/InTreatment",
	                                         "disqualified/Disqualified", "withdrawn/withdrawn", "valid/active",
	                                         "NULL/on hold", "NULL/NULL"}));
	EXPECT_EQ(notes(r), (std::vector<std::string>{"bids.details[6].status unknown_bid_status"}));
}

TEST(OcdsMapping, PlaceholdersAreReadAsAbsentWithANote) {
	auto r = flattened(R"({"ocid":"x","id":"rel-1","tender":{"value":{"amount":0,"currency":"USD"},
	  "tenderPeriod":{"startDate":"2024-03-01T00:00:00Z","endDate":"2024-02-01T00:00:00Z"},
	  "items":[{"id":"1","unit":{"value":{"amount":0.0,"currency":"USD"}}}]},
	  "awards":[{"id":"a","value":{"amount":"0.00","currency":"USD"}}],
	  "contracts":[{"id":"c","value":{"amount":12,"currency":"USD"},
	                "period":{"startDate":"2024-05-02T00:00:00+02:00","endDate":"2024-05-01T23:00:00Z"}}]})");
	const auto &p = rows(r, OcdsTable::process).at(0);
	EXPECT_EQ(column(OcdsTable::process, p, "estimated_value"), "NULL");
	EXPECT_EQ(column(OcdsTable::process, p, "currency"), "USD");
	EXPECT_EQ(column(OcdsTable::process, p, "tender_period_start") + column(OcdsTable::process, p, "tender_period_end"),
	          "NULLNULL"); // neither end of a reversed period is judged as real
	EXPECT_EQ(column(OcdsTable::item, rows(r, OcdsTable::item).at(0), "unit_value"), "NULL");
	EXPECT_EQ(column(OcdsTable::award, rows(r, OcdsTable::award).at(0), "amount"), "NULL");
	const auto &c = rows(r, OcdsTable::contract).at(0);
	EXPECT_EQ(column(OcdsTable::contract, c, "amount"), "12");
	// 2024-05-01T23:00Z is after 2024-05-02T00:00+02:00 (22:00Z): a real period, compared by instant
	EXPECT_EQ(column(OcdsTable::contract, c, "period_end"), "2024-05-01");
	EXPECT_EQ(notes(r), (std::vector<std::string>{"awards[0].value.amount zero_amount",
	                                              "tender.items[0].unit.value.amount zero_amount",
	                                              "tender.tenderPeriod period_end_before_start",
	                                              "tender.value.amount zero_amount"}));
	const auto &n = rows(r, OcdsTable::mapping_note).at(0);
	EXPECT_EQ(column(OcdsTable::mapping_note, n, "ocid") + " " + column(OcdsTable::mapping_note, n, "release_id"), "x rel-1");
	EXPECT_NE(column(OcdsTable::mapping_note, n, "reason_zh"), column(OcdsTable::mapping_note, n, "reason"));
}

TEST(OcdsMapping, NothingWithoutAnIdIsDroppedWithoutANote) {
	auto r = flattened(R"({"ocid":"x","tender":{"items":[{"description":"no id"},{"id":"1"},{"id":"1"}]},
	  "awards":[{"title":"no id","value":{"amount":5,"currency":"MXN"}},{"id":"a1"}],
	  "contracts":[{"title":"no id"},{"id":"c1","awardID":"a9",
	                "implementation":{"transactions":[{"id":"t1","date":"2024-06-01T00:00:00Z","value":{"amount":100,"currency":"MXN"},
	                                                   "payer":{"name":"Tesorería"},"payee":{"id":"S1","name":"Supplier"}},
	                                                  {"value":{"amount":3,"currency":"MXN"}}]}}]})");
	EXPECT_EQ(rows(r, OcdsTable::award).size(), 1u);
	EXPECT_EQ(rows(r, OcdsTable::contract).size(), 1u);
	EXPECT_EQ(rows(r, OcdsTable::item).size(), 1u);
	ASSERT_EQ(rows(r, OcdsTable::transaction).size(), 1u);
	const auto &t = rows(r, OcdsTable::transaction)[0];
	EXPECT_EQ(column(OcdsTable::transaction, t, "contract_code"), "x/c1");
	EXPECT_EQ(column(OcdsTable::transaction, t, "amount"), "100");
	EXPECT_EQ(column(OcdsTable::transaction, t, "payer_party_code"), party_code_named(r, "Tesorería"));
	EXPECT_EQ(column(OcdsTable::transaction, t, "payee_party_code"), "S1");
	EXPECT_EQ(notes(r), (std::vector<std::string>{
	                        "awards[0] missing_id", "contracts[0] missing_id", "contracts[1].awardID unknown_award",
	                        "contracts[1].implementation.transactions[0] transaction_not_payment",
	                        "contracts[1].implementation.transactions[1] missing_id", "tender.items[0] missing_id",
	                        "tender.items[2] duplicate_id"}));
}

TEST(AlertLine, FormatsThePayload) {
	std::string line =
	    format_alert_line(R"({"alert_id":17,"rule_code":"PAY.DUP","rule_version":2,"severity":"warning","status":"open",
	  "object_table":"oversight.payment","object_key":{"payment_code":"P1"},"fingerprint":"f","repeat_count":3,"message":"duplicate payment",
	  "fired_at":"2025-06-30T10:00:00+08:00"})");
	EXPECT_EQ(line, "2025-06-30T10:00:00+08:00 WARNING  PAY.DUP v2 [open] duplicate payment (oversight.payment "
	                "payment_code=P1) ×3 #17");
	EXPECT_EQ(format_alert_line("not json"), "(unreadable alert) not json");
}

// Amounts go into jsonb through nlohmann's writer: they must come back exactly as published.
TEST(OcdsJson, NumbersRoundTripExactly) {
	const std::string text =
	    R"({"value":{"amount":12345678901234.56,"currency":"CNY"},"small":0.1,"cents":1234.05,"int":100,"max":18446744073709551615,"neg":-5,"exp":1.5e+20})";
	Json j = parse(text);
	EXPECT_EQ(dump(j), text);
	EXPECT_EQ(get_text(*find(j, "value"), "amount"), "12345678901234.56");
	EXPECT_EQ(get_text(j, "small"), "0.1");
}

// Numbers a double cannot hold keep their text; the others go through nlohmann's number types.
TEST(OcdsJson, ExactNumbersFromTheDocumentText) {
	const std::string text =
	    R"({"amount":123456789012345.6789,"big":123456789012345678901234567890,"tiny":1e-400,"huge":1e400,)"
	    R"("plain":12345678901234.56,"cents":0.10,"id":123456789012345678901,"relatedLots":[7],"n":-9223372036854775808})";
	simdjson::padded_string padded(text);
	simdjson::ondemand::parser parser;
	Json j = parse_document(padded, parser);
	EXPECT_EQ(
	    dump(j),
	    R"({"amount":123456789012345.6789,"big":123456789012345678901234567890,"tiny":1e-400,"huge":1e400,)"
	    R"("plain":12345678901234.56,"cents":0.1,"id":"123456789012345678901","relatedLots":["7"],"n":-9223372036854775808})");
	EXPECT_EQ(get_text(j, "amount"), "123456789012345.6789");
	EXPECT_TRUE(find(j, "plain")->is_number_float());
	EXPECT_TRUE(find(j, "n")->is_number_integer());
	EXPECT_EQ(number_from_text("0.1"), Json(0.1));
	EXPECT_EQ(number_from_text("100"), Json(100));
	EXPECT_EQ(dump(Json::array({number_from_text("1.00000000000000000001")})), "[1.00000000000000000001]");
	// A string that merely starts with NUL is not mistaken for a number.
	EXPECT_EQ(dump(Json(std::string("\0abc", 4))), R"("\u0000abc")");
}

// One bad line of JSON Lines is one refused item whose raw text PostgreSQL can store.
TEST(OcdsReader, NulByteAndInvalidUtf8LinesAreRefusedOneByOneWithStorableText) {
	std::string path = write_temp("hostile.jsonl", "{\"ocid\":\"o-1\"}\n"
	                                               "{\"ocid\":\"o-2\",\"tender\":{\"title\":\"B\0\"}}\n"s
	                                               "{\"ocid\":\"o-3\",\"tender\":{\"title\":\"\xE5\xBC\xA0\xFF\"}}\n"
	                                               "{\"ocid\":\"o-4\"}\n");
	auto items = read_ocds(path);
	ASSERT_EQ(items.size(), 4u);
	EXPECT_TRUE(items[0].document);
	EXPECT_TRUE(items[3].document);
	EXPECT_EQ(items[1].item_no, 2u);
	EXPECT_EQ(items[1].error, "invalid JSON: a NUL byte (0x00) at byte 35");
	EXPECT_EQ(items[1].raw_text, R"({"ocid":"o-2","tender":{"title":"B\x00"}})");
	EXPECT_EQ(items[2].error, "invalid JSON: not UTF-8 at byte 37 (\\xFF; JSON text must be UTF-8)");
	EXPECT_EQ(items[2].raw_text, "{\"ocid\":\"o-3\",\"tender\":{\"title\":\"张\\xFF\"}}"); // 张 kept
	for (const auto &i : items)
		EXPECT_TRUE(is_valid_utf8(i.raw_text) && i.raw_text.find('\0') == std::string::npos);
}

// "\u0000" in a string refuses that release only, and never turns into another value ("\u000012345" was
// read as the number 12345, "\u0000ABC" as the id ABC).
TEST(OcdsDocuments, AStringWithU0000IsNeverAValueAndRefusesItsReleaseOnly) {
	auto items = items_of(R"({"releases":[
	  {"ocid":"o-1","date":"2024-01-01","tender":{"value":{"amount":"\u000012345","currency":"CNY"}}},
	  {"ocid":"o-1","date":"2024-02-01","tender":{"title":"kept"}},
	  {"ocid":"o-2","awards":[{"id":"\u0000ABC"}]},
	  {"ocid":"o-3","tender":{"title":"fine"}}]})");
	ASSERT_EQ(items.size(), 4u);
	EXPECT_EQ(items[0].item_no, 1u);
	EXPECT_EQ(items[0].error, "holds U+0000 (\\u0000, NUL) in tender.value.amount: PostgreSQL cannot store it in "
	                          "text or jsonb, and it is never read as a value");
	EXPECT_EQ(items[0].raw_text,
	          R"({"ocid":"o-1","date":"2024-01-01","tender":{"value":{"amount":"\u000012345","currency":"CNY"}}})");
	EXPECT_EQ(items[1].ocid, "o-1"); // the other release of o-1 still loads
	EXPECT_EQ(items[1].item_no, 2u);
	EXPECT_EQ(items[2].item_no, 3u);
	EXPECT_NE(items[2].error.find("in awards[0].id:"), std::string::npos) << items[2].error;
	EXPECT_EQ(items[3].ocid, "o-3");

	simdjson::padded_string padded(
	    std::string(R"({"amount":"\u000012345","id":"\u0000ABC","n":123456789012345.6789})"));
	simdjson::ondemand::parser parser;
	Json j = parse_document(padded, parser);
	EXPECT_EQ(get_text(j, "amount"), "");
	EXPECT_EQ(get_text(j, "id"), "");
	EXPECT_EQ(get_text(j, "n"), "123456789012345.6789"); // exact numbers are unaffected
	EXPECT_EQ(nul_path(j), "amount");
	EXPECT_EQ(dump_refused(j), R"({"amount":"\u000012345","id":"\u0000ABC","n":123456789012345.6789})");

	// Through the reader, and as a single release document too.
	std::string path = write_temp("u0000.json", R"({"ocid":"o-9","tender":{"value":{"amount":"\u000012345"}}})");
	auto single = read_ocds(path);
	ASSERT_EQ(single.size(), 1u);
	EXPECT_FALSE(single[0].document);
	EXPECT_NE(single[0].error.find("tender.value.amount"), std::string::npos);
}

// An invisible character must not make an ocid a look-alike of another.
TEST(OcdsDocuments, AnOcidWithAnInvisibleCharacterIsRefused) {
	auto items = items_of(R"([{"ocid":"o-1\ufeff"},{"ocid":"o-1\u0009"},{"ocid":"o-1"}])");
	ASSERT_EQ(items.size(), 3u);
	EXPECT_EQ(items[0].error, "ocid holds the invisible character U+FEFF: it would look like another ocid");
	EXPECT_EQ(items[1].error, "ocid holds the invisible character U+0009: it would look like another ocid");
	EXPECT_EQ(items[2].ocid, "o-1");
}

// JSON Lines files concatenated with their byte-order marks.
TEST(OcdsReader, AByteOrderMarkStartingAFileOrALineIsDropped) {
	auto lines = read_ocds(write_temp("bom.jsonl", "\xEF\xBB\xBF{\"ocid\":\"o-1\"}\n\xEF\xBB\xBF{\"ocid\":\"o-2\"}\n"));
	ASSERT_EQ(lines.size(), 2u);
	EXPECT_EQ(lines[1].ocid, "o-2");
	auto doc = read_ocds(write_temp("bom.json", "\xEF\xBB\xBF{\"releases\":[{\"ocid\":\"o-3\"}]}"));
	ASSERT_EQ(doc.size(), 1u);
	EXPECT_EQ(doc[0].ocid, "o-3");
}
