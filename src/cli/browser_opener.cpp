#include "cli/browser_opener.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

extern char** environ;

namespace tessera::cli {
namespace {

std::vector<std::string> browser_command(const std::string& url) {
    const char* variable = std::getenv("BROWSER");
    std::string command = variable ? variable : "";
    command = command.substr(0, command.find(':'));
    std::vector<std::string> words;
    bool has_placeholder = false;
    std::size_t at = 0;
    while (at < command.size()) {
        auto end = command.find(' ', at);
        if (end == std::string::npos) end = command.size();
        if (end > at) {
            std::string word = command.substr(at, end - at);
            for (auto p = word.find("%s"); p != std::string::npos; p = word.find("%s", p)) {
                word.replace(p, 2, url);
                p += url.size();
                has_placeholder = true;
            }
            words.push_back(std::move(word));
        }
        at = end + 1;
    }
    if (words.empty()) {
#ifdef __APPLE__
        words.push_back("open");
#else
        words.push_back("xdg-open");
#endif
    }
    if (!has_placeholder) words.push_back(url);
    return words;
}

}  // namespace

std::string open_in_browser(const std::string& url) {
    auto words = browser_command(url);
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int failed = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) return "cannot run " + words.front() + ": " + std::strerror(failed);
    return "";
}

void reap_browsers() {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

}  // namespace tessera::cli
