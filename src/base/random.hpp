#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <random>
#include <span>

namespace tessera {

// The source of randomness. Injected so tests can be deterministic.
// Implementations are thread-safe.
class Random {
public:
    virtual ~Random() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;
};

// Cryptographically secure bytes from OpenSSL's RAND_bytes. Aborts if the
// system CSPRNG fails: continuing without entropy would mint guessable secrets.
class SystemRandom final : public Random {
public:
    void fill(std::span<std::uint8_t> out) override;
};

// Deterministic bytes from a 64-bit seed: for tests, and for identifiers that
// must be unique but not secret (request ids), seeded from SystemRandom.
// Never for secrets, tokens or keys.
class SeededRandom final : public Random {
public:
    explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
    void fill(std::span<std::uint8_t> out) override {
        std::lock_guard lock(mutex_);
        for (auto& b : out) b = static_cast<std::uint8_t>(engine_());
    }

private:
    std::mutex mutex_;
    std::mt19937_64 engine_;
};

}  // namespace tessera
