#include "base/random.hpp"

#include <openssl/rand.h>

#include <cstdlib>

namespace tessera {

void SystemRandom::fill(std::span<std::uint8_t> out) {
    if (out.empty()) return;
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) std::abort();
}

}  // namespace tessera
