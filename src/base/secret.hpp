#pragma once

#include <string>
#include <string_view>

#include "base/encoding.hpp"

namespace tessera {

// Secret material (client secrets, tokens, passwords). It has no operator<<
// and no fmt formatter, so it cannot end up in a log by accident; reading it
// takes an explicit reveal(). Equality is constant-time.
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}

    // The raw value, for the one place that must send it (a response that
    // mints it) or digest it.
    const std::string& reveal() const { return value_; }
    bool empty() const { return value_.empty(); }

    friend bool operator==(const Secret& a, const Secret& b) {
        return constant_time_equals(a.value_, b.value_);
    }

private:
    std::string value_;
};

}  // namespace tessera
