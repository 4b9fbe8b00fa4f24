// Arguments and results: text, jsonb (oversight/pg/pg.hpp).
#include "oversight/pg/pg.hpp"

extern "C" {
#include "utils/builtins.h"
#include "utils/jsonb.h"
}

namespace oversight::pg {

std::string text_arg(FunctionCallInfo fcinfo, int n) {
	struct Span {
		const char *data;
		size_t size;
	};
	// PG_GETARG_TEXT_PP may detoast (and so raise): inside pg_call. The bytes stay valid for the call.
	Span span = pg_call([&] {
		text *t = PG_GETARG_TEXT_PP(n);
		return Span{VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)};
	});
	return std::string(span.data, span.size);
}

std::string jsonb_text(Datum jsonb) {
	char *s = pg_call([&] { return DatumGetCString(DirectFunctionCall1(jsonb_out, jsonb)); });
	std::string out = s;
	free_memory(s);
	return out;
}

Datum jsonb_datum(const std::string &json) {
	return pg_call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
}

Datum text_datum(const std::string &s) {
	return pg_call([&] { return PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size()))); });
}

} // namespace oversight::pg
