#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tessera/result.hpp"

namespace tessera::cli {

// Rows printed as aligned columns under a header and a rule of dashes:
//
//   Name    ID                                    Redirect URI
//   ------  ------------------------------------  ----------------------
//   My app  01234567-89ab-cdef-0123-456789abcdef  https://example.com/cb
class Table {
public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.empty(); }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

// "key:  value" lines with the values aligned, under an optional
// "=== title" line.
void print_fields(std::ostream& out, const std::string& title,
                  const std::vector<std::pair<std::string, std::string>>& fields);

// Prints `error` for people on stderr ("Error: <message>", the status, the
// API's id or code, each Cloudflare detail with its pointer, the request
// id) and returns the exit code for it.
int report(const sdk::ApiError& error);

// A usage error that the CLI itself found: printed, then kUsage.
int usage_error(const std::string& message);

// "a, b, c".
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

// "3600 seconds", or "never" for no expiry.
std::string expiry_text(const std::optional<std::int64_t>& expires_in);

// The number of terminal columns `text` takes (UTF-8 code points).
std::size_t display_width(const std::string& text);

}  // namespace tessera::cli
