# Writes OUTPUT, a C++ file defining embedded_migrations() from the SQL files
# in MIGRATIONS (a ;-list, sorted). Run with `cmake -P`; needs nothing but cmake.
# Each file must be named NNNN_<what>.sql, versions strictly increasing.

if(NOT MIGRATIONS)
    message(FATAL_ERROR "no migrations to embed")
endif()
set(delimiter "tessera_sql")
set(entries "")
set(previous 0)
foreach(path IN LISTS MIGRATIONS)
    get_filename_component(file_name "${path}" NAME)
    if(NOT file_name MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
        message(FATAL_ERROR "migration ${file_name}: expected NNNN_<what>.sql")
    endif()
    math(EXPR version "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_1}_${CMAKE_MATCH_2}")
    if(version LESS_EQUAL previous)
        message(FATAL_ERROR "migration ${file_name}: versions must start at 1 and increase")
    endif()
    set(previous ${version})
    file(READ "${path}" sql)
    string(FIND "${sql}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "migration ${file_name} contains the raw-string delimiter")
    endif()
    string(APPEND entries
        "    {${version}, \"${name}\", R\"${delimiter}(${sql})${delimiter}\"},\n")
endforeach()

set(content "// Generated from migrations/*.sql by embed_migrations.cmake. Do not edit.
#include \"storage/sqlite/migrations.hpp\"

namespace tessera::storage::sqlite {
namespace {

constexpr Migration kMigrations[] = {
${entries}};

}  // namespace

std::span<const Migration> embedded_migrations() { return kMigrations; }

}  // namespace tessera::storage::sqlite
")

# Rewrite only on change, so an unrelated rebuild does not recompile it.
if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" existing)
    if(existing STREQUAL content)
        return()
    endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
