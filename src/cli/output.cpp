#include "cli/output.hpp"

#include <algorithm>
#include <iostream>

#include "cli/exit_codes.hpp"

namespace tessera::cli {

int exit_code_for(const sdk::ApiError& error) {
    switch (error.kind) {
        case sdk::ErrorKind::usage:
            return kUsage;
        case sdk::ErrorKind::network:
        case sdk::ErrorKind::timeout:
        case sdk::ErrorKind::tls:
            return kUnreachable;
        case sdk::ErrorKind::protocol:
            return kApiError;
        case sdk::ErrorKind::api:
            return error.status == 401 ? kUnreachable : kApiError;
    }
    return kApiError;
}

std::size_t display_width(const std::string& text) {
    // Continuation bytes (10xxxxxx) do not start a character.
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

void Table::print(std::ostream& out) const {
    std::vector<std::size_t> widths(header_.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(row[i]));
    };
    measure(header_);
    for (const auto& row : rows_) measure(row);
    auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = i < row.size() ? row[i] : "";
            text += cell;
            if (i + 1 < widths.size())
                text += std::string(widths[i] - display_width(cell) + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
    };
    line(header_);
    std::vector<std::string> rule;
    for (auto w : widths) rule.emplace_back(w, '-');
    line(rule);
    for (const auto& row : rows_) line(row);
}

void print_fields(std::ostream& out, const std::string& title,
                  const std::vector<std::pair<std::string, std::string>>& fields) {
    if (!title.empty()) out << "=== " << title << '\n';
    std::size_t width = 0;
    for (const auto& [key, value] : fields) width = std::max(width, display_width(key));
    for (const auto& [key, value] : fields)
        out << key << ':' << std::string(width - display_width(key) + 2, ' ') << value << '\n';
}

int report(const sdk::ApiError& error) {
    std::cerr << "Error: " << error.message << '\n';
    if (error.kind == sdk::ErrorKind::api) {
        // Status 0: the server's answer came through the browser (a redirect).
        std::string what = error.status ? "HTTP " + std::to_string(error.status) : "";
        if (!error.id.empty()) what += (what.empty() ? "" : ", ") + error.id;
        if (error.code != 0) what += ", code " + std::to_string(error.code);
        if (!error.resource.empty()) what += ", resource " + error.resource;
        std::cerr << "  (" << what << ")\n";
        for (const auto& detail : error.details) {
            if (error.details.size() == 1 && detail.pointer.empty() && detail.error_chain.empty())
                break;
            std::cerr << "  - " << detail.message << " (code " << detail.code;
            if (!detail.pointer.empty()) std::cerr << ", at " << detail.pointer;
            std::cerr << ")\n";
            for (const auto& link : detail.error_chain)
                std::cerr << "    - " << link.message << " (code " << link.code << ")\n";
        }
        if (error.retry_after)
            std::cerr << "  Retry after " << error.retry_after->count() << " seconds.\n";
    } else if (error.kind != sdk::ErrorKind::usage) {
        std::cerr << "  (" << sdk::to_string(error.kind) << " error)\n";
    }
    if (!error.request_id.empty()) std::cerr << "  Request id: " << error.request_id << '\n';
    if (error.is_unauthenticated())
        std::cerr << "  Log in again with `tessera login`, or check TESSERA_API_KEY.\n";
    return exit_code_for(error);
}

int usage_error(const std::string& message) {
    std::cerr << "Error: " << message << '\n';
    return kUsage;
}

std::string expiry_text(const std::optional<std::int64_t>& expires_in) {
    return expires_in ? std::to_string(*expires_in) + " seconds" : "never";
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

}  // namespace tessera::cli
