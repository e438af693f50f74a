#pragma once

#include <string>

namespace tessera::cli {

// Starts the user's browser on `url` without waiting for it: the first
// command of $BROWSER (a colon-separated list, as Python's webbrowser
// reads it; "%s" in it is replaced by the URL, else the URL is appended;
// words are split on spaces, no shell is involved), else xdg-open (open on
// macOS). Its output goes to /dev/null. Returns "" when the command
// started, else why not.
std::string open_in_browser(const std::string& url);

// Reaps browser commands that have exited, without waiting for others.
void reap_browsers();

}  // namespace tessera::cli
