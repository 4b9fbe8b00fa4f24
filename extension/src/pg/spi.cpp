// SPI wrappers (oversight/pg/pg.hpp).
#include "oversight/pg/pg.hpp"

extern "C" {
#include "access/htup_details.h"
#include "miscadmin.h"
#include "utils/queryenvironment.h"
#include "utils/tuplestore.h"
}

namespace oversight::pg {

void spi_connect() {
	pg_call([] { SPI_connect(); });
}

void spi_finish() {
	pg_call([] { SPI_finish(); });
}

int spi_execute(const std::string &sql, int nargs, Oid *types, Datum *values, const char *nulls, bool read_only) {
	return pg_call([&] {
		return nargs ? SPI_execute_with_args(sql.c_str(), nargs, types, values, nulls, read_only, 0)
		             : SPI_execute(sql.c_str(), read_only, 0);
	});
}

int spi_execute_plan(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only) {
	return pg_call([&] { return SPI_execute_plan(plan, values, nulls, read_only, 0); });
}

void spi_free_plan(SPIPlanPtr plan) {
	pg_call([&] { SPI_freeplan(plan); });
}

bool spi_text(uint64_t row, int col, std::string &out) {
	char *v = pg_call([&] { return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col); });
	if (!v)
		return false;
	out = v;
	free_memory(v);
	return true;
}

void spi_free_result() {
	pg_call([] { SPI_freetuptable(SPI_tuptable); });
}

namespace {
// Registers store for SPI under name, its shape a table's (relid) or a descriptor of its own (tupdesc).
int register_tuplestore(const char *name, Oid relid, TupleDesc tupdesc, Tuplestorestate *store) {
	EphemeralNamedRelation enr = pg_call([&] {
		auto *e = static_cast<EphemeralNamedRelation>(palloc0(sizeof(EphemeralNamedRelationData)));
		e->md.name = pstrdup(name);
		e->md.reliddesc = relid;
		e->md.tupdesc = tupdesc;
		e->md.enrtype = ENR_NAMED_TUPLESTORE;
		e->md.enrtuples = static_cast<double>(tuplestore_tuple_count(store));
		e->reldata = store;
		return e;
	});
	return pg_call([&] { return SPI_register_relation(enr); });
}
} // namespace

int spi_register_tuplestore(const char *name, Oid relid, Tuplestorestate *store) {
	return register_tuplestore(name, relid, nullptr, store);
}

int spi_register_tuplestore(const char *name, TupleDesc tupdesc, Tuplestorestate *store) {
	return register_tuplestore(name, InvalidOid, tupdesc, store);
}

void spi_unregister_relation(const char *name) {
	pg_call([&] { SPI_unregister_relation(name); });
}

Tuplestorestate *spi_whole_rows_store() {
	return pg_call([] {
		Tuplestorestate *ts = tuplestore_begin_heap(false, false, work_mem);
		for (uint64 i = 0; i < SPI_processed; ++i) {
			bool isnull = false;
			Datum d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
			if (isnull)
				continue;
			HeapTupleHeader header = DatumGetHeapTupleHeader(d);
			HeapTupleData tuple;
			tuple.t_len = HeapTupleHeaderGetDatumLength(header);
			ItemPointerSetInvalid(&tuple.t_self);
			tuple.t_tableOid = InvalidOid;
			tuple.t_data = header;
			tuplestore_puttuple(ts, &tuple);
		}
		return ts;
	});
}

} // namespace oversight::pg
