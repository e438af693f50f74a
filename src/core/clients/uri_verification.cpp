#include "core/clients/uri_verification.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/url/parse.hpp>

#include "base/encoding.hpp"

namespace tessera::core {

std::optional<std::string> uri_host(std::string_view uri) {
    auto parsed = boost::urls::parse_uri(uri);
    if (!parsed || !parsed->has_authority()) return std::nullopt;
    std::string host = parsed->host();
    if (host.empty()) return std::nullopt;
    for (char& c : host) {
        auto byte = static_cast<unsigned char>(c);
        // Percent-decoding may yield any byte; none of these fits a DNS name.
        if (byte <= 0x20 || byte >= 0x7f) return std::nullopt;
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return host;
}

UriVerification start_uri_verification(std::string host, Random& random, Timestamp now) {
    std::array<std::uint8_t, 16> bytes{};
    random.fill(bytes);
    UriVerification v;
    v.status = UriVerification::Status::pending;
    v.host = std::move(host);
    v.token = hex_encode(bytes);
    v.deadline = now + kUriVerificationWindow;
    v.checked_at = 0;
    return v;
}

UriVerification restart_uri_verification(UriVerification verification, Timestamp now) {
    if (verification.status != UriVerification::Status::failed) return verification;
    verification.status = UriVerification::Status::pending;
    verification.deadline = now + kUriVerificationWindow;
    verification.checked_at = 0;
    return verification;
}

Result<int> UriVerifier::run_once(std::stop_token stop) {
    Timestamp now = clock_.now();
    // Checked at or before now - recheck_after: due again.
    TESSERA_TRY_ASSIGN(auto open, store_.list_open_verifications(now - options_.recheck_after + 1,
                                                                 options_.batch));
    int settled = 0;
    for (const auto& [client_id, verification] : open) {
        if (stop.stop_requested()) break;
        UriVerification next = check(verification, now);
        TESSERA_TRY_ASSIGN(bool written,
                           store_.update_uri_verification(client_id, verification, next));
        if (written && (next.status == UriVerification::Status::verified ||
                        next.status == UriVerification::Status::failed))
            ++settled;
    }
    return settled;
}

UriVerification UriVerifier::check(const UriVerification& open, Timestamp now) {
    UriVerification next = open;
    next.checked_at = now;
    // Spec §4.6: two days without a match; no lookup is made after that.
    if (now >= open.deadline) {
        next.status = UriVerification::Status::failed;
        return next;
    }
    auto records = dns_.lookup_txt(open.host);
    const std::string wanted = open.record();
    if (records && std::find(records->begin(), records->end(), wanted) != records->end()) {
        next.status = UriVerification::Status::verified;
    } else {
        // No match yet, or no answer (retried on a later run).
        next.status = UriVerification::Status::in_progress;
    }
    return next;
}

}  // namespace tessera::core
