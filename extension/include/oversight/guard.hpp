// The C++/PostgreSQL boundary: the only place that touches sigsetjmp and PG_exception_stack.
//
// Two zones (see README "The C++/PostgreSQL boundary"):
//   * PostgreSQL -> C++: every SQL-callable symbol is declared with OVERSIGHT_FUNCTION. Its body is
//     ordinary C++ that may throw; cpp_entry catches everything and raises the ERROR only after every
//     C++ frame and catch block is gone.
//   * C++ -> PostgreSQL: every call that may ereport(ERROR) goes through pg_call, which turns the
//     longjmp into a thrown PgError, so destructors of live C++ objects run.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/elog.h"
#include "utils/memutils.h"
}

#include <csetjmp>
#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "oversight/core/error.hpp"

namespace oversight {

// A PostgreSQL ERROR carried through C++ unwinding; cpp_entry re-raises it unchanged (SQLSTATE, detail…).
class PgError : public std::exception {
public:
	explicit PgError(ErrorData *edata) noexcept : edata_(edata) {}
	ErrorData *edata() const noexcept { return edata_; }
	const char *what() const noexcept override {
		return edata_ && edata_->message ? edata_->message : "PostgreSQL error";
	}

private:
	ErrorData *edata_;
};

namespace detail {

// Restores PostgreSQL's error globals when the scope ends, whichever way it ends.
struct JumpScope {
	sigjmp_buf *saved_exception_stack = PG_exception_stack;
	ErrorContextCallback *saved_context_stack = error_context_stack;
	~JumpScope() {
		PG_exception_stack = saved_exception_stack;
		error_context_stack = saved_context_stack;
	}
};

// pstrdup that cannot itself raise an ERROR (we may be handling an out-of-memory condition).
inline char *copy_no_throw(const std::string &s) noexcept {
	char *copy = static_cast<char *>(MemoryContextAllocExtended(ErrorContext, s.size() + 1, MCXT_ALLOC_NO_OOM));
	if (copy)
		memcpy(copy, s.c_str(), s.size() + 1);
	return copy;
}

inline int to_pg_sqlstate(const char *code) noexcept {
	return MAKE_SQLSTATE(code[0], code[1], code[2], code[3], code[4]);
}

} // namespace detail

// C++ -> PostgreSQL: runs fn (C calls only, nothing with a destructor inside it); an ereport(ERROR)
// raised inside becomes a thrown PgError after PostgreSQL's error state has been copied and flushed.
template <typename Fn> auto pg_call(Fn &&fn) -> decltype(fn()) {
	using Result = decltype(fn());
	static_assert(std::is_void_v<Result> || std::is_trivially_destructible_v<Result>,
	              "pg_call results must be trivially destructible: a longjmp may skip them");
	MemoryContext caller_context = CurrentMemoryContext;
	{
		detail::JumpScope scope; // built before sigsetjmp, so a longjmp never skips it
		sigjmp_buf buffer;
		if (sigsetjmp(buffer, 0) == 0) {
			PG_exception_stack = &buffer;
			return fn();
		}
	}
	MemoryContextSwitchTo(caller_context); // CopyErrorData must not run in ErrorContext
	ErrorData *edata = CopyErrorData();
	FlushErrorState();
	throw PgError(edata);
}

// Polls for query cancel and statement_timeout from a long C++ loop.
inline void check_for_interrupts() {
	pg_call([] { CHECK_FOR_INTERRUPTS(); });
}

// PostgreSQL -> C++: nothing escapes. Errors are recorded in the catch blocks and raised after them.
template <typename Fn> Datum cpp_entry(const char *function_name, Fn &&fn, FunctionCallInfo fcinfo) noexcept {
	ErrorData *pg_error = nullptr;
	int sqlstate = ERRCODE_INTERNAL_ERROR;
	char *message = nullptr;
	char *detail = nullptr;
	char *hint = nullptr;
	try {
		return fn(fcinfo);
	} catch (const PgError &e) {
		pg_error = e.edata();
	} catch (const core::Error &e) {
		sqlstate = detail::to_pg_sqlstate(e.sqlstate());
		message = detail::copy_no_throw(e.what());
		if (!e.detail().empty())
			detail = detail::copy_no_throw(e.detail());
		if (!e.hint().empty())
			hint = detail::copy_no_throw(e.hint());
	} catch (const std::bad_alloc &) {
		sqlstate = ERRCODE_OUT_OF_MEMORY;
	} catch (const std::exception &e) {
		message = detail::copy_no_throw(e.what());
	} catch (...) {
	}
	if (pg_error)
		ReThrowError(pg_error);
	ereport(ERROR,
	        (errcode(sqlstate),
	         errmsg("%s", message ? message
	                              : (sqlstate == ERRCODE_OUT_OF_MEMORY ? "out of memory" : "unexpected C++ exception")),
	         detail ? errdetail("%s", detail) : 0, hint ? errhint("%s", hint) : 0,
	         errcontext("C++ function %s", function_name)));
	pg_unreachable();
}

} // namespace oversight

// Declares an SQL-callable V1 function whose body is ordinary, throwing C++.
#define OVERSIGHT_FUNCTION(name)                                                                                       \
	static Datum name##_impl([[maybe_unused]] FunctionCallInfo fcinfo);                                                \
	_Pragma("GCC visibility push(default)") extern "C" {                                                               \
		PG_FUNCTION_INFO_V1(name);                                                                                     \
		Datum name(PG_FUNCTION_ARGS) {                                                                                 \
			return oversight::cpp_entry(#name, name##_impl, fcinfo);                                                   \
		}                                                                                                              \
	}                                                                                                                  \
	_Pragma("GCC visibility pop") static Datum name##_impl([[maybe_unused]] FunctionCallInfo fcinfo)
