// The reject file written beside the input (or in --reject-dir): the refused rows with the line, field and
// reason, as UTF-8 CSV with a BOM (Excel opens it correctly). Its extra columns are not mapped, so a fixed
// reject file can be loaded again as it is. Written to NAME.partial and renamed only when the load commits.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace oversight::loader {

std::string reject_path_for(const std::string &input, const std::string &reject_dir);

// One cell of the reject file, CSV-quoted. Text a spreadsheet would run as a formula (a cell starting with
// = + - @ tab or CR: =HYPERLINK(…) leaks data, +cmd|… runs a program) gets a leading ' as OWASP advises on
// CSV injection, so Excel shows it as text; NUL and invalid UTF-8 are written \xNN. The exact text stays in
// oversight.quarantine.raw_text.
std::string reject_cell(std::string_view cell);

class RejectFile {
public:
	RejectFile(std::string final_path, std::vector<std::string> header);
	~RejectFile(); // removes the partial file unless committed
	void add_views(std::uint64_t line_no, const std::string &field, const std::string &reason,
	               const std::vector<std::string_view> &cells);
	void add(std::uint64_t line_no, const std::string &field, const std::string &reason,
	         const std::vector<std::string> &cells);
	// Renames the partial file into place; removes it when no row was refused. Returns the path or "".
	std::string commit();
	std::uint64_t rows() const { return rows_; }

private:
	std::string final_path_, partial_path_;
	std::vector<std::string> header_;
	std::ofstream out_;
	std::uint64_t rows_ = 0;
	bool committed_ = false;
};

} // namespace oversight::loader
