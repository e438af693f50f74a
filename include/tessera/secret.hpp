#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace tessera::sdk {

// Secret material the API hands out or takes: client secrets, access and
// refresh tokens, authorization codes, passwords. It cannot be streamed (the
// stream operator is deleted, so `std::cout << secret` does not compile) and
// has no formatter; reading the value takes an explicit reveal(). Equality is
// constant-time. A value type: copyable, movable, not thread-safe to mutate.
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}

    // The raw value: for the one place that must send or show it.
    const std::string& reveal() const { return value_; }
    bool empty() const { return value_.empty(); }
    std::size_t size() const { return value_.size(); }

    // For display: the first `keep` characters, then "…" (or "" when empty).
    std::string masked(std::size_t keep = 4) const;

    friend bool operator==(const Secret& a, const Secret& b) { return equals(a.value_, b.value_); }
    friend std::ostream& operator<<(std::ostream&, const Secret&) = delete;

private:
    // Compares every byte whatever the first difference (length aside).
    static bool equals(std::string_view a, std::string_view b);

    std::string value_;
};

}  // namespace tessera::sdk
