// The extension's own session settings (oversight/pg/pg.hpp), defined when the library is loaded.
#include "oversight/pg/pg.hpp"

extern "C" {
#include "utils/guc.h"
}

#include <climits>
#include <cstring>

namespace oversight::pg {

namespace {

char *language_setting = nullptr;
int batch_split_rows_setting = 1000;
bool index_lookups_setting = true;

// Called by PostgreSQL for every SET, ALTER ROLE/DATABASE … SET and configuration value: plain C, no
// exception may leave it.
bool check_language(char **newval, void **, GucSource) {
	const char *v = *newval;
	if (v == nullptr || v[0] == '\0' || std::strcmp(v, "zh") == 0 || std::strcmp(v, "en") == 0)
		return true;
	GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
	GUC_check_errdetail("oversight.language 取 zh（中文）或 en（英文）；留空即用数据库设置 language（oversight.settings）。 "
	                    "oversight.language is zh (Chinese) or en (English); empty means the database's setting "
	                    "\"language\" (oversight.settings).");
	return false;
}

} // namespace

void define_settings() {
	// oversight.language: the language of rule titles, alert messages and texts for this session; empty
	// (the default) means the database's setting "language" (oversight.language() reads both). A
	// session that set it before the library was loaded has it checked here, with a WARNING (PostgreSQL
	// then keeps the default); oversight.language() refuses an invalid value either way.
	// Descriptions (SHOW ALL, pg_settings) are read before any session language applies: Chinese, then English.
	DefineCustomStringVariable("oversight.language",
	                           "规则标题、告警消息等文字的语言：zh 或 en。 Language of rule titles, alert messages and texts: zh or en.",
	                           "留空：用数据库设置 language（默认 zh）。 Empty: the database's setting \"language\" (zh by default).",
	                           &language_setting, "",
	                           PGC_USERSET, 0, check_language, nullptr, nullptr);
	// oversight.batch_split_rows: how many written rows make a batch large enough to have its duplicate rules'
	// written rows paired in C++ rather than joined with the batch in SQL (engine/evaluate.cpp); 0: never.
	// Same findings either way: a DBA may turn it off to compare, the tests and the benchmark do.
	DefineCustomIntVariable("oversight.batch_split_rows",
	                        "一批写入达到此行数时，重复类规则在 C++ 中配对本批各行（0：从不）。 "
	                        "Written rows from which a batch's duplicate rules pair its rows in C++ (0: never).",
	                        "两种方式结果相同；低于此行数时，本批在 SQL 中与表连接。 "
	                        "Same findings either way; below it, the batch is joined with the table in SQL.",
	                        &batch_split_rows_setting, 1000, 0, INT_MAX, PGC_USERSET, 0, nullptr, nullptr, nullptr);
	// oversight.index_lookups: whether a small batch (a clerk's single-row write) first looks its rules' possible
	// partners up through the table's indexes, so a rule with none skips its SQL, and a larger one reads a rule's
	// small link table once, so that only its rows' values are candidates (engine/lookups.cpp). Same
	// findings either way: a DBA may turn it off to compare, the tests and the benchmark do.
	DefineCustomBoolVariable("oversight.index_lookups",
	                         "小批写入是否先经索引查找规则可能的配对行，较大批次是否一次读入规则的关联表。 "
	                         "Whether small batches look their rules' possible partners up through indexes first, "
	                         "and larger ones read their rules' link tables once.",
	                         "两种方式结果相同；关闭时每条候选规则的 SQL 都运行。 "
	                         "Same findings either way; off: every candidate rule's SQL runs.",
	                         &index_lookups_setting,
	                         true, PGC_USERSET, 0, nullptr, nullptr, nullptr);
}

int batch_split_rows() {
	return batch_split_rows_setting;
}

bool index_lookups() {
	return index_lookups_setting;
}

} // namespace oversight::pg
