#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "core/clients/txt_lookup.hpp"
#include "core/model/client.hpp"
#include "core/store/verification_store.hpp"

namespace tessera::core {

// Cloudflare spec §4.6: a verification that matches nothing for two days fails.
inline constexpr Timestamp kUriVerificationWindow = 2 * 86400;

// The host of `uri`, a URI with a scheme (RFC 3986 §3; a fragment is
// allowed), ASCII-lowercased, without port or userinfo; an IPv6 literal
// keeps its brackets, as Boost.URL gives it. nullopt when `uri` does not
// parse, has no authority or an empty host, or its percent-decoded host
// holds a byte no DNS name can (a control character, space or non-ASCII).
std::optional<std::string> uri_host(std::string_view uri);

// A new verification of `host` (already lowercased, e.g. by uri_host()):
// pending, a fresh token of 32 random lowercase hex characters, a deadline
// kUriVerificationWindow after `now`, never checked.
UriVerification start_uri_verification(std::string host, Random& random, Timestamp now);

// Cloudflare spec §4.6: setting the same client_uri again restarts a failed
// verification: pending, same host and token (so the same record), a new
// deadline from `now`, never checked. Any other status comes back unchanged
// (a verified one stays verified; an open one keeps its deadline).
UriVerification restart_uri_verification(UriVerification verification, Timestamp now);

struct UriVerifierOptions {
    // A verification is looked up again once this many seconds have passed
    // since its last check.
    Timestamp recheck_after = 300;
    // At most this many verifications are looked up by one run_once().
    int batch = 100;
};

// Polls the DNS for the open verifications (Cloudflare spec §4.6): pending
// → in_progress while its record is missing → verified when a TXT record of
// its host equals record(), or failed once its deadline has passed.
//
// The references must outlive the verifier. Thread-safe (it holds no state
// of its own); two verifiers running at once only repeat lookups, since
// every write is conditional.
class UriVerifier {
public:
    UriVerifier(VerificationStore& store, TxtLookup& dns, const Clock& clock,
                UriVerifierOptions options = {})
        : store_(store), dns_(dns), clock_(clock), options_(options) {}

    // Handles one batch: the open verifications not checked in the last
    // `recheck_after` seconds, longest unchecked first. For each: past its
    // deadline → failed; else its host's TXT records are looked up: a match
    // → verified; no match, or a failed lookup (retried on a later run) →
    // in_progress with checked_at = now. A verification changed meanwhile
    // by an API call is left as that call made it.
    //
    // Returns how many became verified or failed. Lookups run one after
    // another, each blocking up to the TxtLookup's timeout; a stop request
    // on `stop` ends the batch before the next one. Stops at the first store
    // error and returns it (what was written stays; the next run goes on).
    Result<int> run_once(std::stop_token stop = {});

private:
    // The verification `open` becomes at `now`.
    UriVerification check(const UriVerification& open, Timestamp now);

    VerificationStore& store_;
    TxtLookup& dns_;
    const Clock& clock_;
    const UriVerifierOptions options_;
};

}  // namespace tessera::core
