#include "core/tokens/janitor.hpp"

namespace tessera::core {

Result<int> Janitor::sweep() {
    Timestamp now = clock_.now();
    int total = 0;
    while (true) {
        TESSERA_TRY_ASSIGN(int purged, tokens_.purge_expired_access_tokens(now, batch_size_));
        total += purged;
        if (purged < batch_size_) break;
    }
    while (true) {
        TESSERA_TRY_ASSIGN(int purged, grants_.purge_expired_grants(now, batch_size_));
        total += purged;
        if (purged < batch_size_) break;
    }
    // Retired signing keys: their last token has expired (KeyStore).
    if (keys_) {
        TESSERA_TRY_ASSIGN(int purged, keys_->purge_retired_keys(now, batch_size_));
        total += purged;
    }
    return total;
}

}  // namespace tessera::core
