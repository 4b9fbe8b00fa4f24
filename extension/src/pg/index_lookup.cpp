// Index look-ups by equality on a text column, without a planned statement (oversight/pg/pg.hpp): what lets a
// small batch learn, in a few index probes, that a rule's SQL has nothing to find (engine/lookups.cpp).
#include "oversight/pg/pg.hpp"
#include "statement_snapshot.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/relcache.h"
#include "utils/varlena.h"
}

namespace oversight::pg {

namespace {
// Inside pg_call only: a text or varchar column (through domains) whose collation compares bytes.
bool text_column_inner(TupleDesc tupdesc, AttrNumber attnum) {
	if (attnum <= 0 || attnum > tupdesc->natts)
		return false;
	Form_pg_attribute att = TupleDescAttr(tupdesc, attnum - 1);
	if (att->attisdropped)
		return false;
	const Oid type = getBaseType(att->atttypid);
	return (type == TEXTOID || type == VARCHAROID) && OidIsValid(att->attcollation) &&
	       get_collation_isdeterministic(att->attcollation);
}
} // namespace

bool is_text_column(TupleDesc tupdesc, AttrNumber attnum) {
	return pg_call([&] { return text_column_inner(tupdesc, attnum); });
}

namespace {
// Inside pg_call only. True when the partial index's predicate holds for every row whose column attnum is not
// NULL (the rows an equality look-up can find), by the planner's own implication test.
bool predicate_holds_when_set(Relation rel, Relation index, AttrNumber attnum) {
	List *predicate = RelationGetIndexPredicate(index);
	if (predicate == NIL)
		return true;
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
	NullTest *is_set = makeNode(NullTest);
	is_set->arg = reinterpret_cast<Expr *>(makeVar(1, attnum, att->atttypid, att->atttypmod, att->attcollation, 0));
	is_set->nulltesttype = IS_NOT_NULL;
	is_set->argisrow = false;
	is_set->location = -1;
	return predicate_implied_by(predicate, list_make1(is_set), false);
}

// Inside pg_call only. True when the index's second key is the date column date_attnum, or the expression
// coalesce(date_attnum, fallback_attnum) of two date columns (the pair's date, as its probe reads it).
bool second_key_is_date(Relation rel, Relation index, AttrNumber date_attnum, AttrNumber fallback_attnum) {
	Form_pg_index form = index->rd_index;
	if (date_attnum <= 0 || form->indnkeyatts < 2 || index->rd_opcintype[1] != DATEOID)
		return false;
	if (form->indkey.values[1] != 0)
		return form->indkey.values[1] == date_attnum;
	if (fallback_attnum <= 0 || getBaseType(TupleDescAttr(RelationGetDescr(rel), fallback_attnum - 1)->atttypid) != DATEOID)
		return false;
	List *expressions = RelationGetIndexExpressions(index); // the first is the second key's (the first key is a column)
	if (expressions == NIL || !IsA(linitial(expressions), CoalesceExpr))
		return false;
	auto *coalesce = static_cast<CoalesceExpr *>(linitial(expressions));
	if (list_length(coalesce->args) != 2)
		return false;
	AttrNumber wanted[2] = {date_attnum, fallback_attnum};
	for (int i = 0; i < 2; ++i) {
		Node *arg = static_cast<Node *>(list_nth(coalesce->args, i));
		if (!IsA(arg, Var) || reinterpret_cast<Var *>(arg)->varattno != wanted[i])
			return false;
	}
	return true;
}
} // namespace

bool text_equality_index(Relation rel, AttrNumber attnum, AttrNumber date_attnum, AttrNumber fallback_attnum,
                         EqualityIndex &out) {
	return pg_call([&]() -> bool {
		if (rel->rd_rel->relkind != RELKIND_RELATION || !text_column_inner(RelationGetDescr(rel), attnum))
			return false;
		if (date_attnum > 0 && getBaseType(TupleDescAttr(RelationGetDescr(rel), date_attnum - 1)->atttypid) != DATEOID)
			date_attnum = 0;
		List *indexes = RelationGetIndexList(rel);
		bool found = false;
		ListCell *lc;
		foreach (lc, indexes) {
			const Oid index_oid = lfirst_oid(lc);
			Relation index = index_open(index_oid, AccessShareLock);
			Form_pg_index form = index->rd_index;
			// A valid btree index whose first key is the column itself (not an expression), compared as text under
			// a collation that compares bytes (then equal means the same bytes, as C++ compares), holding every row
			// with the column set.
			const bool usable = form->indisvalid && index->rd_rel->relam == BTREE_AM_OID && form->indnkeyatts >= 1 &&
			                    form->indkey.values[0] == attnum && index->rd_opcintype[0] == TEXTOID &&
			                    OidIsValid(index->rd_indcollation[0]) &&
			                    get_collation_isdeterministic(index->rd_indcollation[0]) &&
			                    predicate_holds_when_set(rel, index, attnum);
			const Oid op =
			    usable ? get_opfamily_member(index->rd_opfamily[0], TEXTOID, TEXTOID, BTEqualStrategyNumber) : InvalidOid;
			if (OidIsValid(op)) {
				EqualityIndex candidate;
				candidate.index = index_oid;
				candidate.equal = get_opcode(op);
				candidate.collation = index->rd_indcollation[0];
				// Its second key the date column, compared as a date: the look-up may bound it.
				if (second_key_is_date(rel, index, date_attnum, fallback_attnum)) {
					const Oid ge = get_opfamily_member(index->rd_opfamily[1], DATEOID, DATEOID, BTGreaterEqualStrategyNumber);
					const Oid le = get_opfamily_member(index->rd_opfamily[1], DATEOID, DATEOID, BTLessEqualStrategyNumber);
					if (OidIsValid(ge) && OidIsValid(le)) {
						candidate.date_at_least = get_opcode(ge);
						candidate.date_at_most = get_opcode(le);
					}
				}
				if (!found || (!OidIsValid(out.date_at_least) && OidIsValid(candidate.date_at_least)))
					out = candidate;
				found = true;
			}
			index_close(index, AccessShareLock);
			if (found && (date_attnum == 0 || OidIsValid(out.date_at_least)))
				break;
		}
		list_free(indexes);
		return found;
	});
}

Relation open_table_by_name(const char *qualified_name) {
	return pg_call([&]() -> Relation {
		RangeVar *name = makeRangeVarFromNameList(stringToQualifiedNameList(qualified_name));
		const Oid relid = RangeVarGetRelid(name, AccessShareLock, true);
		return OidIsValid(relid) ? table_open(relid, NoLock) : nullptr; // locked by RangeVarGetRelid
	});
}

void close_table(Relation rel) {
	pg_call([&] { table_close(rel, AccessShareLock); });
}

bool may_select(Relation rel) {
	return pg_call([&] { return pg_class_aclcheck(RelationGetRelid(rel), GetUserId(), ACL_SELECT) == ACLCHECK_OK; });
}

TupleTableSlot *make_table_slot(Relation rel) {
	return pg_call([&] { return table_slot_create(rel, nullptr); });
}

bool copy_column(TupleTableSlot *slot, AttrNumber attnum, Datum &out) {
	return pg_call([&] {
		bool isnull;
		Datum d = slot_getattr(slot, attnum, &isnull);
		if (!isnull)
			out = PointerGetDatum(PG_DETOAST_DATUM_COPY(d));
		return !isnull;
	});
}

bool column_text(TupleTableSlot *slot, AttrNumber attnum, std::string &out) {
	return pg_call([&] {
		bool isnull;
		Datum d = slot_getattr(slot, attnum, &isnull);
		if (isnull)
			return false;
		text *t = pg_detoast_datum_packed(reinterpret_cast<text *>(DatumGetPointer(d)));
		out.assign(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		if (reinterpret_cast<Pointer>(t) != DatumGetPointer(d))
			pfree(t);
		return true;
	});
}

LookupEnd index_lookup(Relation rel, const EqualityIndex &index, const Datum *value, const DateWindow *window,
                       TupleTableSlot *slot, int64_t limit, const std::function<bool(TupleTableSlot *)> &visit) {
	// The snapshot the SQL the look-up stands for would read with (push_statement_snapshot): under SERIALIZABLE
	// concurrent duplicates are still caught. On an error the subtransaction's abort releases the scan, the index
	// and the snapshot, as for any aborted scan.
	struct Scan {
		Snapshot snapshot;
		Relation index;
		IndexScanDesc desc;
	};
	// Bounded by date: the rows with the date in the window, then those without one (two passes of one scan).
	const bool bounded = value && window && OidIsValid(index.date_at_least);
	const int nkeys = !value ? 0 : bounded ? 3 : 1;
	ScanKeyData keys[3];
	auto set_keys = [&](bool dated) { // inside pg_call
		ScanKeyEntryInitialize(&keys[0], 0, 1, BTEqualStrategyNumber, InvalidOid, index.collation, index.equal, *value);
		if (dated) {
			ScanKeyEntryInitialize(&keys[1], 0, 2, BTGreaterEqualStrategyNumber, InvalidOid, InvalidOid,
			                       index.date_at_least, DateADTGetDatum(window->first));
			ScanKeyEntryInitialize(&keys[2], 0, 2, BTLessEqualStrategyNumber, InvalidOid, InvalidOid,
			                       index.date_at_most, DateADTGetDatum(window->last));
		} else // the scan keeps its number of keys: the same IS NULL key twice
			for (int k = 1; k <= 2; ++k)
				ScanKeyEntryInitialize(&keys[k], SK_ISNULL | SK_SEARCHNULL, 2, InvalidStrategy, InvalidOid, InvalidOid,
				                       InvalidOid, static_cast<Datum>(0));
	};
	Scan scan = pg_call([&] {
		Scan s;
		s.snapshot = push_statement_snapshot();
		s.index = index_open(index.index, AccessShareLock);
		s.desc = index_beginscan(rel, s.index, s.snapshot, nkeys, 0);
		if (value)
			set_keys(bounded);
		index_rescan(s.desc, value ? keys : nullptr, nkeys, nullptr, 0);
		return s;
	});
	LookupEnd end = LookupEnd::None;
	int64_t seen = 0;
	for (int pass = 0; pass < (bounded ? 2 : 1) && end == LookupEnd::None; ++pass) {
		if (pass == 1)
			pg_call([&] {
				set_keys(false);
				index_rescan(scan.desc, keys, nkeys, nullptr, 0);
			});
		for (;; ++seen) {
			if (seen >= limit) {
				end = LookupEnd::Limit;
				break;
			}
			if (!pg_call([&] { return index_getnext_slot(scan.desc, ForwardScanDirection, slot); }))
				break;
			if (visit(slot)) {
				end = LookupEnd::Found;
				break;
			}
		}
	}
	pg_call([&] {
		index_endscan(scan.desc);
		index_close(scan.index, AccessShareLock);
		PopActiveSnapshot();
	});
	return end;
}

} // namespace oversight::pg
