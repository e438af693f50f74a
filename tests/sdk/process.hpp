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

// A child started by start_process(): its stdin has been fed and closed;
// finish() collects its output and waits for it (at most 30 s of silence).
class RunningProcess {
public:
    RunningProcess(int pid, int out, int err) : pid_(pid), out_(out), err_(err) {}
    RunningProcess(const RunningProcess&) = delete;
    RunningProcess& operator=(const RunningProcess&) = delete;
    // Waits for the child if finish() was never called.
    ~RunningProcess();

    ProcessResult finish();

private:
    int pid_;
    int out_;
    int err_;
    bool finished_ = false;
};

// Starts `program` with `args`, exactly the environment `env` (nothing
// inherited), and `input` on stdin.
RunningProcess start_process(const std::string& program, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env,
                             const std::string& input = "");

// Runs `program` as start_process() does; waits for it and collects its output.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env,
                          const std::string& input = "");

}  // namespace tessera::testing
