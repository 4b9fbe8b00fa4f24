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
}

namespace core = oversight::core;
namespace ind = oversight::core::indicators;
namespace pg = oversight::pg;

namespace {

constexpr int page_size = 2000;

// The settings argument n (jsonb, NULL: every indicator with Cardinal's defaults), parsed and checked.
ind::Settings settings_arg(FunctionCallInfo fcinfo, int n) {
	return ind::parse_settings(PG_ARGISNULL(n) ? core::Json() : core::parse_json(pg::jsonb_text(PG_GETARG_DATUM(n))));
}

// Text of column col of row of the last SPI result, without a copy: valid until spi_free_result.
std::string_view spi_text_view(uint64_t row, int col) {
	struct View {
		const char *data;
		size_t size;
	};
	View v = oversight::pg_call([&] {
		bool isnull = false;
		Datum d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);
		if (isnull)
			return View{nullptr, 0};
		text *t = pg_detoast_datum_packed(reinterpret_cast<struct varlena *>(DatumGetPointer(d)));
		return View{VARDATA_ANY(t), static_cast<size_t>(VARSIZE_ANY_EXHDR(t))};
	});
	return v.data ? std::string_view(v.data, v.size) : std::string_view();
}

} // namespace

// indicator_settings(settings jsonb) -> jsonb: the effective settings (Cardinal's names, every default
// explicit); 22023 naming an unknown or malformed setting.
OVERSIGHT_FUNCTION(oversight_indicator_settings) {
	return pg::jsonb_datum(ind::settings_json(settings_arg(fcinfo, 0)).dump());
}

// indicator_compute(settings jsonb, ocids text[], published_from timestamptz, published_before timestamptz)
// -> jsonb {"settings", "currency", "read", "excluded", "invalid", "duration_ms", "rows": [[group, identifier, indicator,
// value]…], "document": Cardinal's output with its Meta}. NULL scope arguments: no restriction.
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
	const std::string sql =
	    "SELECT p.ocid, p.source_document::pg_catalog.text FROM oversight.procurement_process p"
	    " WHERE p.ocid OPERATOR(pg_catalog.>) $1 AND p.source_document IS NOT NULL"
	    " AND ($2 IS NULL OR p.ocid OPERATOR(pg_catalog.=) ANY ($2))"
	    " AND ($3 IS NULL OR p.published_at OPERATOR(pg_catalog.>=) $3)"
	    " AND ($4 IS NULL OR p.published_at OPERATOR(pg_catalog.<) $4)"
	    " ORDER BY p.ocid LIMIT " + // the primary key's order: each page is an index range
	    std::to_string(page_size);
	std::string last; // ocids are non-empty: "" precedes them all
	pg::spi_connect();
	for (;;) {
		values[0] = pg::text_datum(last);
		pg::spi_execute(sql, 4, types, values, nulls, true);
		const uint64_t n = oversight::pg_call([] { return SPI_processed; });
		for (uint64_t i = 0; i < n; ++i)
			run.add(spi_text_view(i, 2));
		if (n > 0)
			pg::spi_text(n - 1, 1, last);
		pg::spi_free_result();
		if (n < static_cast<uint64_t>(page_size))
			break;
	}
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
	out["document"] = ind::cardinal_document(results, true);
	return pg::jsonb_datum(out.dump());
}
