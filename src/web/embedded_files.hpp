#pragma once

#include <span>
#include <string_view>

namespace tessera::web {

// One file from templates/ or assets/, compiled into the binary.
struct EmbeddedFile {
    std::string_view name;  // the file name, e.g. "sign_in.html" or "tessera.css"
    std::string_view text;  // the file's bytes
};

// Every file in templates/ and assets/, sorted by path, embedded at build time
// by embed_files.cmake (the definition is generated). Static storage.
std::span<const EmbeddedFile> embedded_files();

}  // namespace tessera::web
