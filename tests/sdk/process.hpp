#pragma once

#include <map>
#include <string>
#include <vector>

namespace tessera::testing {

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal
    std::string out;
    std::string err;
};

// Runs `program` with `args`, exactly the environment `env` (nothing
// inherited), and `input` on stdin; waits for it and collects its output.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env,
                          const std::string& input = "");

}  // namespace tessera::testing
