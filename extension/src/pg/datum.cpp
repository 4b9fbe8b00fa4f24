// Arguments and results: text, jsonb (oversight/pg/pg.hpp).
#include "oversight/pg/pg.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
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

std::vector<std::string> text_array_arg(FunctionCallInfo fcinfo, int n) {
	struct Elements {
		Datum *values;
		bool *nulls;
		int count;
	};
	Elements e = pg_call([&] {
		Elements out{};
		ArrayType *a = PG_GETARG_ARRAYTYPE_P(n);
		if (ARR_NDIM(a) > 1)
			ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR), errmsg("expected a one-dimensional text array")));
		deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &out.values, &out.nulls, &out.count);
		return out;
	});
	std::vector<std::string> out;
	for (int i = 0; i < e.count; ++i) {
		if (e.nulls[i])
			throw core::Error("22004", "argument " + std::to_string(n + 1) + " has a NULL element");
		// Elements of a detoasted array: plain bytes, read without calling PostgreSQL.
		const auto *t = reinterpret_cast<const text *>(DatumGetPointer(e.values[i]));
		out.emplace_back(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	return out;
}

Datum text_array_datum(const std::vector<std::string> &items) {
	return pg_call([&] {
		const int n = static_cast<int>(items.size());
		Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
		for (int i = 0; i < n; ++i)
			elems[i] = PointerGetDatum(cstring_to_text_with_len(
			    items[static_cast<size_t>(i)].data(), static_cast<int>(items[static_cast<size_t>(i)].size())));
		return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	});
}

Datum input_datum(Oid type, const std::string &text) {
	return pg_call([&] {
		Oid input, ioparam;
		getTypeInputInfo(type, &input, &ioparam);
		return OidInputFunctionCall(input, const_cast<char *>(text.c_str()), ioparam, -1);
	});
}

} // namespace oversight::pg
