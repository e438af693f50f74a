#include "app/scope_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace tessera::app {
namespace {

Error bad(const std::string& path, const std::string& why) {
    return make_error(Code::invalid_params, "scope_catalog: " + path + ": " + why, {},
                      "scope_catalog");
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 128 || id.find('.') == std::string_view::npos) return false;
    return std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return c > 0x20 && c < 0x7f && c != ':' && c != '"' && c != '\\';
    });
}

}  // namespace

Result<std::vector<core::Scope>> parse_scope_file(std::string_view text, const std::string& path) {
    toml::table table;
    try {
        table = toml::parse(text, path);
    } catch (const toml::parse_error& error) {
        return bad(path, std::string(error.description()));
    }
    const toml::array* entries = table["scopes"].as_array();
    if (!entries) return bad(path, "expected [[scopes]] tables");
    std::vector<core::Scope> scopes;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const toml::table* entry = (*entries)[i].as_table();
        std::string where = "scopes[" + std::to_string(i) + "]";
        if (!entry) return bad(path, where + " must be a table");
        core::Scope scope;
        scope.id = (*entry)["id"].value_or(std::string());
        scope.name = (*entry)["name"].value_or(std::string());
        scope.category = (*entry)["category"].value_or(std::string());
        scope.description = (*entry)["description"].value_or(scope.name);
        if (!valid_id(scope.id))
            return bad(path, where + ".id must be a dotted scope id without ':' or spaces");
        if (scope.name.empty()) return bad(path, where + ".name is required");
        if (const toml::array* permissions = (*entry)["scopes"].as_array()) {
            for (const auto& p : *permissions) {
                auto value = p.value<std::string>();
                if (!value) return bad(path, where + ".scopes must hold strings");
                scope.permissions.push_back(*value);
            }
        }
        bool repeated = std::any_of(scopes.begin(), scopes.end(),
                                    [&](const core::Scope& s) { return s.id == scope.id; });
        if (repeated) return bad(path, where + ".id '" + scope.id + "' is listed twice");
        scopes.push_back(std::move(scope));
    }
    return scopes;
}

Result<std::vector<core::Scope>> load_scope_file(const std::string& path) {
    std::ifstream file(path);
    if (!file) return bad(path, "cannot be read");
    std::stringstream text;
    text << file.rdbuf();
    return parse_scope_file(text.str(), path);
}

}  // namespace tessera::app
