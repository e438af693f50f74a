#include "http/batched_writer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <sstream>
#include <thread>

namespace tessera::http {
namespace {

// Reads everything written to a temporary file.
class TempFile {
public:
    TempFile() {
        char name[] = "/tmp/tessera-batched-XXXXXX";
        fd_ = mkstemp(name);
        name_ = name;
    }
    ~TempFile() {
        ::close(fd_);
        ::unlink(name_.c_str());
    }
    int fd() const { return fd_; }
    std::string contents() const {
        std::string out(static_cast<std::size_t>(lseek(fd_, 0, SEEK_END)), '\0');
        EXPECT_EQ(pread(fd_, out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
        return out;
    }

private:
    int fd_;
    std::string name_;
};

TEST(BatchedWriter, WritesEveryLineWholeAndInOrderPerThread) {
    TempFile file;
    {
        BatchedWriter writer(file.fd(), std::chrono::milliseconds(1));
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 2000; ++i)
                    writer.append("thread " + std::to_string(t) + " line " + std::to_string(i) +
                                  "\n");
            });
        }
        for (auto& thread : threads) thread.join();
    }  // destruction flushes
    std::istringstream lines(file.contents());
    std::map<int, int> next;  // thread -> next expected line
    std::string word, line_word;
    int thread = 0, line = 0, count = 0;
    while (lines >> word >> thread >> line_word >> line) {
        ASSERT_EQ(word, "thread");
        ASSERT_EQ(line_word, "line");
        ASSERT_EQ(line, next[thread]++) << "thread " << thread;
        ++count;
    }
    EXPECT_EQ(count, 4 * 2000);
}

TEST(BatchedWriter, FlushesWithinTheIntervalWithoutBeingAsked) {
    TempFile file;
    BatchedWriter writer(file.fd(), std::chrono::milliseconds(20));
    writer.append("one\n");
    for (int i = 0; i < 200 && file.contents().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(file.contents(), "one\n");
}

TEST(BatchedWriter, SeveralWritersOnOneThreadKeepTheirLinesApart) {
    TempFile a, b;
    {
        BatchedWriter first(a.fd(), std::chrono::milliseconds(50));
        BatchedWriter second(b.fd(), std::chrono::milliseconds(50));
        first.append("a1\n");
        second.append("b1\n");
        first.append("a2\n");
    }
    EXPECT_EQ(a.contents(), "a1\na2\n");
    EXPECT_EQ(b.contents(), "b1\n");
}

}  // namespace
}  // namespace tessera::http
