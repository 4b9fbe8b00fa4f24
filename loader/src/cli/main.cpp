// oversight-load: loads finance exports (CSV in any encoding iconv knows, OCDS JSON) into the oversight tables and
// follows the alerts the monitoring rules raise. See loader/README.md.
#include "core/csv_source.hpp"
#include "core/exit_codes.hpp"
#include "core/mapping.hpp"
#include "core/progress.hpp"
#include "core/values.hpp"
#include "db/follow.hpp"
#include "db/load.hpp"
#include "db/stored_mapping.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace po = boost::program_options;
using namespace oversight::loader;

namespace {

const char *usage_text = R"(oversight-load: load finance data into the oversight database, and follow its alerts.

Usage:
  oversight-load [--dsn CONNINFO] KIND [options] FILE...      load CSV files of one record kind
  oversight-load [--dsn CONNINFO] ocds [options] FILE...      load OCDS JSON (packages, records, JSON Lines)
  oversight-load [--dsn CONNINFO] follow [--json] [--max N] [--timeout S]
                                                              print alerts live as the rules raise them
  oversight-load fields KIND                                  list the fields of a kind and the headers it accepts
  oversight-load check-mapping KIND FILE [--mapping M]        show how FILE's columns would fill each field
  oversight-load [--dsn CONNINFO] mapping import KIND FILE.map --name N
                                                              store a mapping in the database for files and
                                                              tables alike (then KIND --mapping-name N, and
                                                              oversight.watch(..., p_mapping_name => 'N'))
  oversight-load --help | --version

Record kinds (load in this order the first time: references before the rows that use them):
%KINDS%
Connection: --dsn takes a libpq conninfo ("host=/run/postgresql dbname=finance") or a URI; without it the
PG* environment variables (PGHOST, PGPORT, PGDATABASE, PGUSER) apply. Passwords come from ~/.pgpass or
PGPASSFILE, never from the command line. In production connect as a member of role oversight_loader.

What a load does: each FILE is read once (SHA-256 computed on the way), every row is validated, good rows
stream through COPY into a staging table, bad rows go to oversight.quarantine and to FILE.rejects.csv with
the reason; then one merge inserts new records, updates corrected ones (audited) and leaves identical ones
alone, and oversight.load records the counts, the mapping file's SHA-256 and the fields the load provided.
Every record written names its load (load_id); a row that would change the payee, amount or date of a record
another file wrote is quarantined as a suspected key collision unless --correction. A negative payment amount
(-50, (50.00), 50-) is a refund of 50, or a credit note when payment_kind says so. All of it is one
transaction per file: a kill or a lost connection leaves nothing behind, and loading the same file again
changes nothing.

Mapping files (mappings/KIND.map, or --mapping FILE) say everything a source needs; no code is ever needed:
  encoding   = windows-1252               the file's encoding (else --encoding, else detected)
  date_order = dmy                        dmy | mdy | ymd for numeric dates not starting with the year;
                                          never guessed (03-Apr-24, 3 April 2024 need none)
  key        = 'FYLDE' + Transaction No   the key field built from columns and 'literals', joined by -
  [columns]
  payment_code = 支付凭证号 | voucher_no     header names (Chinese or English), the first present wins
  currency     = const:CNY                every row (or --currency CNY for one file)
  status       = 状态 | default:paid        when the cell is empty or the column absent
  fiscal_year  = year:支付日期               the year of a date column
  payer_unit_code  = by_name:付款单位        an org unit found by name_zh or name_en
  payee_party_code = 信用代码 | by_name:收款人  a party found by name (created when none has it;
                                          full-width forms, spaces and 有限公司/Ltd/Limited variants folded)
  refund_of    = key:'FYLDE' + Original No  a code built like the key (the payment a refund reverses)
  [values.expense_type]
  office       = 办公费 | 办公用品           value aliases, for a field of any kind
Anything the loader would not use is an error naming the file, line and key.

Exit codes:
  0  every row loaded, updated or unchanged      4  committed, but some rows were quarantined
  1  internal error                              5  database error or a table the role may not write:
  2  bad command line                               nothing committed, rerun is safe
  3  input unusable (unreadable, no header,      6  cannot connect / connection lost: nothing committed
     encoding not detectable, required column    7  connection lost during COMMIT: check oversight.load,
     missing, bad mapping file)                     then rerun (a rerun of a committed file changes nothing)

Examples:
  oversight-load org-units units.csv
  oversight-load payments --encoding gb18030 --reject-dir /tmp/rejects 国库支付2024.csv
  oversight-load payments --dry-run --json payments.csv
  oversight-load check-mapping payments --mapping county.map 支付明细.csv
  oversight-load payments --mapping fylde.map --currency GBP spend-over-500.csv
  oversight-load ocds release-package.json compiled.jsonl
  oversight-load follow --max 10 --timeout 60
)";

std::string usage() {
	std::string kinds;
	for (const auto &k : record_kinds())
		kinds += fmt::format("  {:<16} {}\n", k.command, k.summary);
	kinds += fmt::format("  {:<16} {}\n\n", "ocds",
	                     "OCDS releases or records: processes, parties, lots, bids, awards, contracts");
	std::string text = usage_text;
	text.replace(text.find("%KINDS%\n"), 8, kinds);
	return text;
}

// Mapping files: --mapping-dir, else $OVERSIGHT_LOADER_MAPPINGS, else ../mappings beside the executable
// (loader/build/../mappings in a checkout), else ../share/oversight/loader/mappings beside it (installed
// by `make install-loader PREFIX=…`), else /usr/share/oversight/loader/mappings.
std::string default_mapping_dir() {
	if (const char *env = std::getenv("OVERSIGHT_LOADER_MAPPINGS"); env && *env)
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		std::string dir(exe, static_cast<size_t>(n));
		dir = dir.substr(0, dir.find_last_of('/'));
		for (const char *relative : {"/../mappings", "/../share/oversight/loader/mappings"}) {
			std::string candidate = dir + relative;
			if (access(candidate.c_str(), R_OK) == 0)
				return candidate;
		}
	}
	return "/usr/share/oversight/loader/mappings";
}

po::options_description load_options(bool ocds) {
	po::options_description d(ocds ? "Options of ocds" : "Options of a CSV load");
	if (ocds)
		d.add_options()("format", po::value<std::string>()->default_value("auto"),
		                "auto, json (one document) or jsonl (one release/record per line)");
	else
		d.add_options()("encoding", po::value<std::string>(),
		                "any encoding iconv knows: utf-8, gb18030 (gbk, gb2312 read as gb18030), windows-1252, "
		                "latin1, big5…; default: the mapping's encoding =, else detected (UTF-8, or GB18030 when "
		                "plausibly Chinese; otherwise the load stops and asks)")(
		    "mapping", po::value<std::string>(), "mapping file of headers to fields (default: MAPPING_DIR/KIND.map)")(
		    "mapping-dir", po::value<std::string>(), "directory of KIND.map files")(
		    "mapping-name", po::value<std::string>(),
		    "a mapping stored in the database (oversight.mapping, `oversight-load mapping import`) instead of a file")(
		    "mapping-version", po::value<int>(), "its version (default: the latest)")(
		    "currency", po::value<std::string>(),
		    "ISO 4217 currency of every row of the file (a currency column, if any, must agree); default: the "
		    "column, the mapping's const:, else the database's default")(
		    "correction", "the file corrects records another file (or someone else) wrote: a changed payee, amount "
		                  "or date updates them instead of being quarantined as a suspected key collision (a "
		                  "corrected rerun of the file that wrote them needs no --correction)");
	d.add_options()("reject-dir", po::value<std::string>(), "write FILE.rejects.csv here instead of beside the input")(
	    "dry-run", "validate and merge inside a transaction, report, then roll back: nothing is written")(
	    "json", "print the summary of each file as one JSON object on stdout")(
	    "quiet,q", "no per-row messages (the summary still prints)")(
	    "no-progress", "no progress bar even on a terminal")("max-messages", po::value<int>()->default_value(20),
	                                                         "per-row messages shown per file")(
	    "stop-after-staging", "benchmarking: stream into the staging table, then roll back")(
	    "file", po::value<std::vector<std::string>>()->default_value({}, ""), "input files");
	return d;
}

struct Failure {
	int code;
	std::string message;
};

std::string first_line(std::string text) {
	text = text.substr(0, text.find('\n'));
	while (!text.empty() && (text.back() == '\r' || text.back() == ' '))
		text.pop_back();
	return text;
}

// Maps an exception to the documented exit code and a one-line message. `conn` is the connection of a load
// under way (nullptr before one is open): when it has been lost, libpqxx reports it through whichever call
// noticed first ("Could not obtain client encoding", "Error writing to table", a FATAL 57P01 error…), so
// the connection's state decides, not the exception's text.
Failure classify(const std::exception &e, const pqxx::connection_base *conn = nullptr, const std::string &file = {}) {
	if (dynamic_cast<const InputError *>(&e) || dynamic_cast<const MappingError *>(&e) ||
	    dynamic_cast<const std::invalid_argument *>(&e))
		return {exit_code::input_unusable, e.what()};
	std::string where = file.empty() ? "" : file + ": ";
	if (dynamic_cast<const PermissionError *>(&e))
		return {exit_code::database_error, where + e.what()};
	if (dynamic_cast<const pqxx::in_doubt_error *>(&e))
		return {exit_code::commit_in_doubt,
		        where + "the connection to the server was lost during COMMIT: whether the load was committed is "
		                "unknown; look for the file's SHA-256 in oversight.load, or simply rerun (a rerun of a "
		                "committed file changes nothing)"};
	auto *sql = dynamic_cast<const pqxx::sql_error *>(&e);
	bool lost = dynamic_cast<const pqxx::broken_connection *>(&e) || (conn && !conn->is_open()) ||
	            (sql && (sql->sqlstate().rfind("08", 0) == 0 || sql->sqlstate().rfind("57P0", 0) == 0));
	if (lost && conn)
		return {exit_code::connection_lost,
		        where +
		            "the connection to the server was lost (the server ended the session, or the network failed): "
		            "the load was rolled back and nothing was committed; rerun is safe" +
		            (sql ? " (server: " + first_line(e.what()) + ")" : "")};
	if (lost)
		return {exit_code::connection_lost, std::string("database connection: ") + e.what()};
	if (sql) {
		std::string what = e.what();
		while (!what.empty() && what.back() == '\n')
			what.pop_back();
		return {exit_code::database_error, "database error" + (sql->sqlstate().empty() ? "" : " " + sql->sqlstate()) +
		                                       ": " + what + " (nothing was committed)"};
	}
	if (dynamic_cast<const pqxx::failure *>(&e))
		return {exit_code::connection_lost, std::string("database: ") + e.what()};
	return {exit_code::internal_error, std::string("internal error: ") + e.what()};
}

// --currency: an ISO code, for a kind that has a currency.
std::string currency_option(const RecordKind &kind, const std::string &text) {
	if (!kind.field("currency"))
		throw po::error(kind.command + " has no currency field: --currency does not apply");
	ParsedValue v = parse_currency(text);
	if (!v.ok())
		throw po::error("--currency \"" + text + "\" " + v.error);
	return *v.value;
}

int run_load(const std::string &command, const std::string &dsn, const std::vector<std::string> &args) {
	bool ocds = command == "ocds";
	const RecordKind *kind = ocds ? nullptr : find_record_kind(command);
	po::options_description desc = load_options(ocds);
	desc.add_options()("help,h", "this help");
	po::positional_options_description pos;
	pos.add("file", -1);
	po::variables_map vm;
	po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
	po::notify(vm);
	if (vm.count("help")) {
		std::cout << "Usage: oversight-load " << command << " [options] FILE...\n"
		          << (kind ? kind->summary + "\n" : "") << desc << "\n";
		return exit_code::ok;
	}
	auto files = vm["file"].as<std::vector<std::string>>();
	if (files.empty())
		throw po::error("no input file given (oversight-load " + command + " --help)");

	LoadOptions o;
	if (!ocds) {
		if (vm.count("encoding"))
			o.encoding = parse_encoding_name(vm["encoding"].as<std::string>());
		if (vm.count("mapping"))
			o.mapping_file = vm["mapping"].as<std::string>();
		o.mapping_dir = vm.count("mapping-dir") ? vm["mapping-dir"].as<std::string>() : default_mapping_dir();
		if (vm.count("mapping-name")) {
			if (vm.count("mapping"))
				throw po::error("give --mapping FILE or --mapping-name NAME, not both");
			o.mapping_name = vm["mapping-name"].as<std::string>();
		}
		if (vm.count("mapping-version")) {
			if (!vm.count("mapping-name"))
				throw po::error("--mapping-version needs --mapping-name");
			o.mapping_version = vm["mapping-version"].as<int>();
		}
		if (vm.count("currency"))
			o.currency = currency_option(*kind, vm["currency"].as<std::string>());
		o.correction = vm.count("correction") > 0;
	} else {
		std::string f = vm["format"].as<std::string>();
		if (f == "json")
			o.ocds_format = OcdsFormat::json;
		else if (f == "jsonl")
			o.ocds_format = OcdsFormat::json_lines;
		else if (f != "auto")
			throw po::error("--format must be auto, json or jsonl");
	}
	if (vm.count("reject-dir"))
		o.reject_dir = vm["reject-dir"].as<std::string>();
	o.dry_run = vm.count("dry-run") > 0;
	o.stop_after_staging = vm.count("stop-after-staging") > 0;
	o.quiet = vm.count("quiet") > 0;
	o.max_messages = vm["max-messages"].as<int>();
	o.progress = !vm.count("no-progress") && Progress::stderr_is_terminal();
	bool json = vm.count("json") > 0;

	auto conn = connect_database(dsn);
	int worst = exit_code::ok;
	for (const auto &file : files) {
		o.file = file;
		try {
			LoadSummary s = ocds ? load_ocds_file(*conn, o) : load_csv_file(*conn, *kind, o);
			if (json)
				std::cout << s.to_json() << std::endl;
			else
				std::cerr << s.to_text() << std::endl;
			if (s.rows_quarantined && worst == exit_code::ok)
				worst = exit_code::quarantined;
		} catch (const std::exception &e) {
			Failure f = classify(e, conn.get(), file);
			std::cerr << "oversight-load: " << f.message << std::endl;
			if (json)
				std::cout << fmt::format("{{\"status\": \"failed\", \"file\": {}, \"exit_code\": {}}}",
				                         dump(Json(file)), f.code)
				          << std::endl;
			if (f.code == exit_code::connection_lost || f.code == exit_code::commit_in_doubt)
				return f.code; // later files need a connection
			if (worst == exit_code::ok || worst == exit_code::quarantined)
				worst = f.code;
		}
	}
	return worst;
}

int run_follow(const std::string &dsn, const std::vector<std::string> &args) {
	po::options_description desc("Options of follow");
	desc.add_options()("help,h", "this help")("json", "print each alert as its JSON payload, one per line")(
	    "max", po::value<long>()->default_value(0), "stop after N alerts (0: no limit)")(
	    "timeout", po::value<double>()->default_value(0), "stop after S seconds (0: no limit)")(
	    "channel", po::value<std::string>()->default_value("oversight_alerts"), "notification channel")(
	    "outbox", "follow the escalation ladder's notifications (channel oversight_outbox) instead of alerts")(
	    "language", po::value<std::string>()->default_value(""),
	    "language of the alerts' and notifications' texts: zh or en (default: the database's setting \"language\", "
	    "zh unless changed, or oversight.language set for the session, e.g. through PGOPTIONS)");
	po::variables_map vm;
	po::store(po::command_line_parser(args).options(desc).run(), vm);
	po::notify(vm);
	if (vm.count("help")) {
		std::cout
		    << "Usage: oversight-load follow [options]\nPrints the alerts the monitoring rules raise and what they "
		       "could not judge (无法判断: inputs a load did not provide, other currencies…), or, with --outbox, "
		       "the notifications of the escalation ladder, as they come, until Ctrl-C.\n"
		    << desc << "\n";
		return exit_code::ok;
	}
	FollowOptions o;
	o.json = vm.count("json") > 0;
	o.max_alerts = vm["max"].as<long>();
	o.timeout_s = vm["timeout"].as<double>();
	o.channel = vm.count("outbox") ? "oversight_outbox" : vm["channel"].as<std::string>();
	o.language = vm["language"].as<std::string>();
	if (!o.language.empty() && o.language != "zh" && o.language != "en")
		throw po::error("--language is zh or en");
	auto conn = connect_database(dsn);
	follow_alerts(*conn, o);
	return exit_code::ok;
}

int run_fields(const std::vector<std::string> &args) {
	if (args.size() != 1 || !find_record_kind(args[0]))
		throw po::error("usage: oversight-load fields KIND");
	const RecordKind &kind = *find_record_kind(args[0]);
	std::string mapping_path = default_mapping_dir() + "/" + kind.command + ".map";
	std::optional<Mapping> mapping;
	try {
		mapping = Mapping::load(mapping_path, kind);
	} catch (const MappingError &) {
	}
	std::cout << kind.command << " → oversight." << kind.table << " (key: ";
	for (size_t i = 0; i < kind.key.size(); ++i)
		std::cout << (i ? ", " : "") << kind.key[i];
	std::cout << ")" << (kind.writer_role != "oversight_loader" ? "; written by members of " + kind.writer_role : "")
	          << "\n";
	auto listed = [](const std::vector<std::string> &items, const std::string &prefix = {}) {
		std::string out;
		for (const auto &a : items)
			out += (out.empty() ? "" : " | ") + prefix + a;
		return out;
	};
	for (const auto &f : kind.fields) {
		std::string notes =
		    f.required ? (f.default_value.empty() ? "required" : "default " + f.default_value) : "optional";
		if (f.type == FieldType::currency && f.default_value.empty())
			notes += ", empty: the database's default";
		if (f.references)
			notes += ", refers to " + f.references->table;
		if (!f.allowed.empty()) {
			notes += ", one of ";
			for (size_t i = 0; i < f.allowed.size(); ++i)
				notes += (i ? "/" : "") + f.allowed[i];
		}
		std::cout << fmt::format("  {:<28} {:<10} {}\n", f.name, f.sql_type(), notes);
		if (!mapping)
			continue;
		std::vector<std::string> sources;
		if (auto a = mapping->column_aliases.find(f.name); a != mapping->column_aliases.end())
			sources.push_back(listed(a->second));
		if (auto c = mapping->constants.find(f.name); c != mapping->constants.end())
			sources.push_back("const:" + c->second);
		if (auto d = mapping->defaults.find(f.name); d != mapping->defaults.end())
			sources.push_back("default:" + d->second);
		if (auto y = mapping->year_of.find(f.name); y != mapping->year_of.end())
			sources.push_back(listed(y->second, "year:"));
		if (auto b = mapping->by_name.find(f.name); b != mapping->by_name.end())
			sources.push_back(listed(b->second, "by_name:"));
		if (auto b = mapping->built.find(f.name); b != mapping->built.end()) {
			std::string parts;
			for (const auto &p : b->second)
				parts += (parts.empty() ? "" : " + ") + (p.literal ? "'" + p.text + "'" : p.text);
			sources.push_back("key:" + parts);
		}
		if (!sources.empty())
			std::cout << fmt::format("  {:<28} headers: {}\n", "", listed(sources));
		if (auto v = mapping->value_aliases.find(f.name); v != mapping->value_aliases.end())
			std::cout << fmt::format("  {:<28} values: {} aliases under [values.{}]\n", "", v->second.size(), f.name);
	}
	std::cout << "\nMapping file " << mapping_path << (mapping ? "" : " (not readable)")
	          << ". In a mapping file of your own (--mapping FILE), each field "
	          << "takes header names separated by |, and const:VALUE, default:VALUE, year:COLUMN, by_name:COLUMN or "
	          << "key:'LITERAL' + COLUMN (a code built like the key); "
	          << "[values.FIELD] lists aliases of values; encoding =, date_order = and key = come before any "
	          << "section (oversight-load --help shows an example). `oversight-load check-mapping " << kind.command
	          << " FILE` shows how a file's columns would fill these fields.\n";
	return exit_code::ok;
}

// The options of a subcommand, its positional arguments in "args".
po::variables_map parse_subcommand(const std::vector<std::string> &args, const po::options_description &desc) {
	po::positional_options_description pos;
	pos.add("args", -1);
	po::variables_map vm;
	po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
	po::notify(vm);
	return vm;
}

// check-mapping KIND FILE: reads only the header of FILE and says how each field would be filled; no database.
int run_check_mapping(const std::vector<std::string> &args) {
	po::options_description desc("Options of check-mapping");
	desc.add_options()("help,h", "this help")("mapping", po::value<std::string>(), "mapping file")(
	    "mapping-dir", po::value<std::string>(),
	    "directory of KIND.map files")("encoding", po::value<std::string>(),
	                                   "encoding of FILE")("currency", po::value<std::string>(), "as for a load")(
	    "args", po::value<std::vector<std::string>>()->default_value({}, ""), "KIND FILE");
	po::variables_map vm = parse_subcommand(args, desc);
	auto rest = vm["args"].as<std::vector<std::string>>();
	if (vm.count("help") || rest.size() != 2 || !find_record_kind(rest[0])) {
		if (!vm.count("help"))
			throw po::error("usage: oversight-load check-mapping KIND FILE [--mapping M] (oversight-load --help "
			                "lists the kinds)");
		std::cout << "Usage: oversight-load check-mapping KIND FILE [options]\nReads the header of FILE and shows, "
		             "for each field of KIND, the column, constant, default, derivation or alias table that "
		             "fills it, or that nothing does (blind).\n"
		          << desc << "\n";
		return exit_code::ok;
	}
	const RecordKind &kind = *find_record_kind(rest[0]);
	std::string mapping_path =
	    vm.count("mapping") ? vm["mapping"].as<std::string>()
	                        : (vm.count("mapping-dir") ? vm["mapping-dir"].as<std::string>() : default_mapping_dir()) +
	                              "/" + kind.command + ".map";
	Mapping mapping = Mapping::load(mapping_path, kind);
	std::optional<Encoding> encoding = mapping.encoding;
	if (vm.count("encoding"))
		encoding = parse_encoding_name(vm["encoding"].as<std::string>());
	std::map<std::string, std::string> overrides;
	if (vm.count("currency"))
		overrides["currency"] = currency_option(kind, vm["currency"].as<std::string>());
	CsvSource source(rest[1], encoding);
	std::vector<std::string> header = source.read_header();
	HeaderBinding binding = bind_header(header, mapping, kind, overrides);
	std::cout << fmt::format("{} ← {} ({}{}), mapping {}{}\n", kind.command, rest[1], encoding_name(source.encoding()),
	                         source.encoding_was_detected() ? ", detected" : "", mapping_path,
	                         mapping.date_order != DateOrder::unspecified
	                             ? fmt::format(", date_order {}", date_order_name(mapping.date_order))
	                             : "");
	for (size_t f = 0; f < kind.fields.size(); ++f)
		std::cout << fmt::format("  {:<28} {}\n", kind.fields[f].name,
		                         describe_source(binding, header, mapping, kind, f));
	for (const auto &h : binding.unmapped_headers)
		std::cout << fmt::format("  column \"{}\" is not mapped: ignored\n", h);
	// What the ledger of a load of this file would record (oversight.load.mapping_sha256, fields_provided).
	std::vector<int> provided_fields;
	for (size_t f = 0; f < kind.fields.size(); ++f)
		if (binding.provides(static_cast<int>(f)))
			provided_fields.push_back(static_cast<int>(f));
	std::string provided;
	for (const auto &f : fields_provided(kind, provided_fields))
		provided += (provided.empty() ? "" : ", ") + f;
	std::cout << fmt::format("fields provided: {}\nmapping sha256: {}\n", provided.empty() ? "none" : provided,
	                         mapping.sha256);
	if (!binding.missing_required.empty()) {
		std::string missing;
		for (const auto &f : binding.missing_required)
			missing += (missing.empty() ? "" : ", ") + f;
		std::cout << "NOT LOADABLE: nothing provides the required field(s) " << missing << "\n";
		return exit_code::input_unusable;
	}
	std::cout << "loadable: every required field is provided\n";
	return exit_code::ok;
}

// mapping import KIND FILE.map --name N [--reason R]: stores a mapping file in the database (oversight.mapping),
// in the language oversight.watch() reads, for tables and files alike.
int run_mapping(const std::string &dsn, const std::vector<std::string> &args) {
	po::options_description desc("Options of mapping import");
	desc.add_options()("help,h", "this help")("name", po::value<std::string>(), "the stored mapping's name (required)")(
	    "reason", po::value<std::string>()->default_value(""), "why this version (audited)")(
	    "args", po::value<std::vector<std::string>>()->default_value({}, ""), "import KIND FILE.map");
	po::variables_map vm = parse_subcommand(args, desc);
	auto rest = vm["args"].as<std::vector<std::string>>();
	if (vm.count("help")) {
		std::cout << "Usage: oversight-load mapping import KIND FILE.map --name NAME [--reason TEXT]\n"
		             "Stores the mapping file in the database (oversight.mapping) as the JSON oversight.watch() reads:\n"
		             "then oversight.watch(table, kind, p_mapping_name => 'NAME') watches a table with it and\n"
		             "oversight-load KIND FILE.csv --mapping-name NAME loads a file with it. The same file again\n"
		             "changes nothing; a changed one is a new version. Needs oversight_admin.\n"
		          << desc << "\n";
		return exit_code::ok;
	}
	if (rest.size() != 3 || rest[0] != "import" || !find_record_kind(rest[1]) || !vm.count("name"))
		throw po::error("usage: oversight-load mapping import KIND FILE.map --name NAME (oversight-load --help lists "
		                "the kinds)");
	auto conn = connect_database(dsn);
	SavedMapping saved =
	    import_mapping(*conn, *find_record_kind(rest[1]), rest[2], vm["name"].as<std::string>(), vm["reason"].as<std::string>());
	std::cout << fmt::format("mapping {} version {} {} (sha256 {})\n", saved.name, saved.version,
	                         saved.created ? "stored" : "unchanged: already stored", saved.sha256);
	return exit_code::ok;
}

} // namespace

int main(int argc, char **argv) {
	po::options_description global("Global options");
	global.add_options()("help,h", "show help")("version", "show the version")(
	    "dsn", po::value<std::string>()->default_value(""), "libpq conninfo or URI")(
	    "command", po::value<std::string>(), "command")("args", po::value<std::vector<std::string>>(), "arguments");
	po::positional_options_description pos;
	pos.add("command", 1).add("args", -1);
	try {
		po::variables_map vm;
		po::parsed_options parsed =
		    po::command_line_parser(argc, argv).options(global).positional(pos).allow_unregistered().run();
		po::store(parsed, vm);
		if (vm.count("version")) {
			std::cout << "oversight-load " << loader_version << " (libpqxx " << PQXX_VERSION << ")\n";
			return exit_code::ok;
		}
		if (!vm.count("command")) {
			std::cout << usage();
			return vm.count("help") ? exit_code::ok : exit_code::usage;
		}
		std::string command = vm["command"].as<std::string>();
		// Everything after the command belongs to it (its own options included).
		std::vector<std::string> rest = po::collect_unrecognized(parsed.options, po::include_positional);
		rest.erase(rest.begin()); // the command itself
		if (vm.count("help"))
			rest.push_back("--help"); // "KIND --help" is the command's help, not the global one
		std::string dsn = vm["dsn"].as<std::string>();
		if (command == "follow")
			return run_follow(dsn, rest);
		if (command == "fields")
			return run_fields(rest);
		if (command == "check-mapping")
			return run_check_mapping(rest);
		if (command == "mapping")
			return run_mapping(dsn, rest);
		if (command == "help") {
			std::cout << usage();
			return exit_code::ok;
		}
		if (command == "ocds" || find_record_kind(command))
			return run_load(command, dsn, rest);
		std::cerr << "oversight-load: unknown command \"" << command << "\" (oversight-load --help lists them)\n";
		return exit_code::usage;
	} catch (const po::error &e) {
		std::cerr << "oversight-load: " << e.what() << "\n";
		return exit_code::usage;
	} catch (const std::exception &e) {
		Failure f = classify(e);
		std::cerr << "oversight-load: " << f.message << "\n";
		return f.code;
	}
}
