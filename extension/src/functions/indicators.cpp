// SQL-callable glue of Cardinal's indicators (oversight/core/indicators.hpp): reads the compiled releases
// of oversight.procurement_process in batches (keyset pages by ocid, so memory stays one page of
// documents whatever the scope) and hands them to the core. Recording the run, its rows and its alerts
// is SQL (sql/src/indicators.sql).
#include "oversight/pg/pg.hpp"

#include "oversight/core/error.hpp"
#include "oversight/core/indicators.hpp"

#include <chrono>

extern "C" {
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"
}

#include <cstring>

namespace core = oversight::core;
namespace ind = oversight::core::indicators;
namespace pg = oversight::pg;

namespace {

constexpr int page_size = 2000;

// The settings argument n (jsonb, NULL: every indicator with Cardinal's defaults), parsed and checked.
ind::Settings settings_arg(FunctionCallInfo fcinfo, int n) {
	return ind::parse_settings(PG_ARGISNULL(n) ? core::Json() : core::parse_json(pg::jsonb_text(PG_GETARG_DATUM(n))));
}

// The members of the compiled release the indicators read (ocid, tender, bids, awards, buyer), as the JSON
// text of an object, from the jsonb in column col of row of the last SPI result; built in context, which
// each call resets first (so the text is valid until the next call, and what detoasting and the toast
// index scans leave behind never accumulates over a run). A document that is not an object is given whole (the core
// counts it invalid). The document is detoasted once, and only these members go through jsonb's text output (numbers
// through numeric_out: most of a run's cost), not parties, planning, contracts or documents, which are most of a real
// compiled release: a release reduced to them gives the same results.
std::string_view release_members_text(uint64_t row, int col, MemoryContext context) {
	return oversight::pg_call([&] {
		static const char *const members[] = {"ocid", "tender", "bids", "awards", "buyer"};
		MemoryContextReset(context);
		MemoryContext caller = MemoryContextSwitchTo(context);
		StringInfo out = makeStringInfo();
		bool isnull = false;
		Datum d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);
		if (isnull) {
			MemoryContextSwitchTo(caller);
			return std::string_view();
		}
		Jsonb *jb = DatumGetJsonbP(d);
		if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb)) {
			JsonbToCString(out, &jb->root, VARSIZE(jb));
		} else {
			appendStringInfoChar(out, '{');
			bool first = true;
			for (const char *name : members) {
				JsonbValue key;
				key.type = jbvString;
				key.val.string.val = const_cast<char *>(name);
				key.val.string.len = static_cast<int>(strlen(name));
				const JsonbValue *v = findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &key);
				if (!v)
					continue;
				appendStringInfo(out, "%s\"%s\":", first ? "" : ",", name);
				first = false;
				if (v->type == jbvBinary) {
					JsonbToCString(out, v->val.binary.data, v->val.binary.len);
				} else { // a scalar member (the ocid): through a one-value jsonb
					Jsonb *scalar = JsonbValueToJsonb(const_cast<JsonbValue *>(v));
					JsonbToCString(out, &scalar->root, VARSIZE(scalar));
				}
			}
			appendStringInfoChar(out, '}');
		}
		MemoryContextSwitchTo(caller);
		return std::string_view(out->data, static_cast<size_t>(out->len));
	});
}

} // namespace

// indicator_settings(settings jsonb) -> jsonb: the effective settings (Cardinal's names, every default
// explicit); 22023 naming an unknown or malformed setting.
OVERSIGHT_FUNCTION(oversight_indicator_settings) {
	return pg::jsonb_datum(ind::settings_json(settings_arg(fcinfo, 0)).dump());
}

// indicator_compute(settings jsonb, ocids text[], published_from timestamptz, published_before timestamptz)
// -> jsonb {"settings", "currency", "read", "excluded", "invalid", "duration_ms", "rows": [[group, identifier,
// indicator, value]…], "meta": Cardinal's Meta}. NULL scope arguments: no restriction.
OVERSIGHT_FUNCTION(oversight_indicator_compute) {
	const auto started = std::chrono::steady_clock::now(); // a duration, not a time of day: no clock to inject
	ind::Settings settings = settings_arg(fcinfo, 0);
	const core::Json effective = ind::settings_json(settings);
	ind::Run run(std::move(settings));

	Oid types[4] = {TEXTOID, TEXTARRAYOID, TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum values[4] = {0, 0, 0, 0};
	char nulls[4] = {' ', ' ', ' ', ' '};
	for (int i = 1; i <= 3; ++i) {
		if (PG_ARGISNULL(i))
			nulls[i] = 'n';
		else
			values[i] = PG_GETARG_DATUM(i);
	}
	// Qualified names, parameters only: nothing of the caller's search_path or input reaches the text.
	const std::string sql = "SELECT p.ocid, p.source_document FROM oversight.procurement_process p"
	                        " WHERE p.ocid OPERATOR(pg_catalog.>) $1 AND p.source_document IS NOT NULL"
	                        " AND ($2 IS NULL OR p.ocid OPERATOR(pg_catalog.=) ANY ($2))"
	                        " AND ($3 IS NULL OR p.published_at OPERATOR(pg_catalog.>=) $3)"
	                        " AND ($4 IS NULL OR p.published_at OPERATOR(pg_catalog.<) $4)"
	                        " ORDER BY p.ocid LIMIT " + // the primary key's order: each page is an index range
	                        std::to_string(page_size);
	std::string last; // ocids are non-empty: "" precedes them all
	MemoryContext release_context = pg::new_memory_context("oversight indicator release");
	pg::spi_connect();
	for (;;) {
		values[0] = pg::text_datum(last);
		pg::spi_execute(sql, 4, types, values, nulls, true);
		const uint64_t n = oversight::pg_call([] { return SPI_processed; });
		for (uint64_t i = 0; i < n; ++i)
			run.add(release_members_text(i, 2, release_context));
		if (n > 0)
			pg::spi_text(n - 1, 1, last);
		pg::spi_free_result();
		if (n < static_cast<uint64_t>(page_size))
			break;
	}
	oversight::pg_call([&] { MemoryContextDelete(release_context); });
	pg::spi_finish();

	ind::Results results = run.finish();
	core::Json out = core::Json::object();
	out["settings"] = effective;
	out["currency"] = results.currency ? core::Json(*results.currency) : core::Json(nullptr);
	out["read"] = results.read;
	out["excluded"] = results.excluded;
	out["invalid"] = results.invalid;
	out["duration_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
	core::Json rows = core::Json::array();
	for (const ind::Result &r : results.rows)
		rows.push_back({ind::group_name(r.group), r.identifier, r.indicator, r.value});
	out["rows"] = std::move(rows);
	out["meta"] = std::move(results.meta); // the document itself is built from the stored rows (indicator_document)
	return pg::jsonb_datum(out.dump());
}
