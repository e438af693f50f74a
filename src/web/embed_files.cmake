# Writes OUTPUT, a C++ file defining embedded_files() from the files in FILES
# (a ;-list: templates/*.html and assets/*.css). Run with `cmake -P`; needs
# nothing but cmake. Each file is embedded under its file name, which must be
# [a-z0-9_]+.(html|css) and unique across both folders.
cmake_minimum_required(VERSION 3.25)  # policies for script mode (IN_LIST)

if(NOT FILES)
    message(FATAL_ERROR "no files to embed")
endif()
set(delimiter "tessera_web")
set(entries "")
set(seen "")
foreach(path IN LISTS FILES)
    get_filename_component(file_name "${path}" NAME)
    if(NOT file_name MATCHES "^[a-z0-9_]+\\.(html|css)$")
        message(FATAL_ERROR "web file ${file_name}: expected [a-z0-9_]+.html or .css")
    endif()
    if(file_name IN_LIST seen)
        message(FATAL_ERROR "web file ${file_name}: the name is used twice")
    endif()
    list(APPEND seen "${file_name}")
    file(READ "${path}" text)
    string(FIND "${text}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "web file ${file_name} contains the raw-string delimiter")
    endif()
    string(APPEND entries "    {\"${file_name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()

set(content "// Generated from templates/ and assets/ by embed_files.cmake. Do not edit.
#include \"web/embedded_files.hpp\"

namespace tessera::web {
namespace {

constexpr EmbeddedFile kFiles[] = {
${entries}};

}  // namespace

std::span<const EmbeddedFile> embedded_files() { return kFiles; }

}  // namespace tessera::web
")

# Rewrite only on change, so an unrelated rebuild does not recompile it.
if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" existing)
    if(existing STREQUAL content)
        return()
    endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
