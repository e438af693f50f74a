#pragma once

#include <span>
#include <string_view>

namespace tessera::storage::postgres {

// One schema migration: the file migrations/NNNN_<what>.sql, PostgreSQL's
// dialect. Each later migration is additive, so a node of an older build
// keeps working on a newer schema.
struct Migration {
    int version;            // NNNN; versions start at 1 and increase
    std::string_view name;  // "NNNN_<what>"
    std::string_view sql;   // the file's text; may hold several statements
};

// Every migration in migrations/, in version order, embedded at build time by
// embed_migrations.cmake (the definition is generated).
std::span<const Migration> embedded_migrations();

}  // namespace tessera::storage::postgres
