#include "cli/credentials_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

namespace tessera::cli {

// The file is "key=value" lines; '#' starts a comment.
std::filesystem::path credentials_path() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "tessera" / "credentials";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".config" / "tessera" / "credentials";
    return {};
}

std::optional<StoredLogin> load_login(const std::filesystem::path& path) {
    if (path.empty()) return std::nullopt;
    std::ifstream in(path);
    if (!in) return std::nullopt;
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0)
        std::cerr << "Warning: " << path.string() << " can be read by other users; run: chmod 600 "
                  << path.string() << '\n';
    StoredLogin login;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#') continue;
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        auto key = line.substr(0, eq), value = line.substr(eq + 1);
        if (key == "api_url") login.api_url = value;
        if (key == "email") login.email = value;
        if (key == "token") login.token = sdk::Secret(value);
        if (key == "authorization_id") login.authorization_id = value;
    }
    if (login.token.empty()) return std::nullopt;
    return login;
}

std::string save_login(const std::filesystem::path& path, const StoredLogin& login) {
    if (path.empty()) return "cannot tell where to keep credentials: set HOME or XDG_CONFIG_HOME";
    std::error_code ec;
    auto folder = path.parent_path();
    std::filesystem::create_directories(folder, ec);
    if (ec) return "cannot create " + folder.string() + ": " + ec.message();
    ::chmod(folder.c_str(), 0700);
    std::string text = "# Written by `tessera login`. Keep it private (mode 0600).\n";
    text += "api_url=" + login.api_url + "\n";
    text += "email=" + login.email + "\n";
    text += "token=" + login.token.reveal() + "\n";
    text += "authorization_id=" + login.authorization_id + "\n";
    // Created 0600 from the start (never briefly readable), then renamed over the old file.
    auto temporary = path;
    temporary += ".tmp";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return "cannot write " + temporary.string() + ": " + std::strerror(errno);
    ::fchmod(fd, 0600);
    std::size_t done = 0;
    while (done < text.size()) {
        auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(temporary.c_str());
            return "cannot write " + temporary.string() + ": " + why;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(temporary.c_str());
        return "cannot write " + temporary.string() + ": " + std::strerror(errno);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        std::string why = std::strerror(errno);
        ::unlink(temporary.c_str());
        return "cannot replace " + path.string() + ": " + why;
    }
    return "";
}

std::string erase_login(const std::filesystem::path& path) {
    if (path.empty()) return "";
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) return "cannot remove " + path.string() + ": " + ec.message();
    return "";
}

}  // namespace tessera::cli
