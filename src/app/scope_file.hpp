#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/scopes/scope_catalog.hpp"

namespace tessera::app {

// Reads a scope catalog file (Cloudflare spec §6, DESIGN.md "Scope
// catalog"): TOML with one `[[scopes]]` table per entry holding `id` (with a
// dot, no ':' or space), `name`, and optionally `category`, `description`
// (defaults to the name) and `scopes` (an array of permission strings).
// `invalid_params` (subject "scope_catalog") naming the file and the first
// problem: unreadable, bad TOML, a missing or bad field, a repeated id.
Result<std::vector<core::Scope>> load_scope_file(const std::string& path);

// As load_scope_file(), from the file's text.
Result<std::vector<core::Scope>> parse_scope_file(std::string_view text, const std::string& path);

}  // namespace tessera::app
