#include "app/config.hpp"

#include <toml++/toml.h>
#include <charconv>
#include <cstdlib>

#include "dns/server_address.hpp"

namespace tessera::app {
namespace {

Error bad(const std::string& key, const std::string& message) {
    return make_error(Code::invalid_params, key + ": " + message, {}, key);
}

template <typename T>
Result<T> parse_number(const std::string& key, const std::string& text) {
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return bad(key, "'" + text + "' is not a number");
    return value;
}

Result<void> apply(Config& c, const std::string& key, const std::string& value) {
    if (key == "listen")
        c.listen = value;
    else if (key == "database")
        c.database = value;
    else if (key == "issuer")
        c.issuer = value;
    else if (key == "tls_cert")
        c.tls_cert = value;
    else if (key == "tls_key")
        c.tls_key = value;
    else if (key == "digest_key")
        c.digest_key = value;
    else if (key == "io_threads") {
        TESSERA_TRY_ASSIGN(c.io_threads, parse_number<int>(key, value));
    } else if (key == "worker_threads") {
        TESSERA_TRY_ASSIGN(c.worker_threads, parse_number<int>(key, value));
    } else if (key == "database_pool_size") {
        TESSERA_TRY_ASSIGN(c.database_pool_size, parse_number<int>(key, value));
        if (c.database_pool_size < 0) return bad(key, "must not be negative");
    } else if (key == "body_limit") {
        TESSERA_TRY_ASSIGN(c.body_limit, parse_number<std::int64_t>(key, value));
    } else if (key == "rate_limit_capacity") {
        TESSERA_TRY_ASSIGN(c.rate_limit_capacity, parse_number<double>(key, value));
    } else if (key == "rate_limit_per_minute") {
        TESSERA_TRY_ASSIGN(c.rate_limit_per_minute, parse_number<double>(key, value));
    } else if (key.ends_with("_ttl") || key == "refresh_grace") {
        TESSERA_TRY_ASSIGN(std::int64_t seconds, parse_number<std::int64_t>(key, value));
        bool may_be_zero = key == "refresh_token_ttl" || key == "refresh_grace";
        if (seconds < (may_be_zero ? 0 : 1) || seconds > 10LL * 365 * 86400)
            return bad(key, may_be_zero ? "must be a number of seconds, 0 or more"
                                        : "must be a number of seconds, 1 or more");
        if (key == "access_token_ttl")
            c.access_token_ttl = seconds;
        else if (key == "user_access_token_ttl")
            c.user_access_token_ttl = seconds;
        else if (key == "refresh_token_ttl")
            c.refresh_token_ttl = seconds;
        else if (key == "refresh_grace")
            c.refresh_grace = seconds;
        else if (key == "code_ttl")
            c.code_ttl = seconds;
        else if (key == "session_ttl")
            c.session_ttl = seconds;
        else
            return bad(key, "unknown setting");
    } else if (key == "registration") {
        if (value != "off" && value != "token" && value != "open")
            return bad(key, "must be off, token or open");
        c.registration = value;
    } else if (key == "registration_owner") {
        c.registration_owner = value;
    } else if (key == "registration_rate_limit") {
        TESSERA_TRY_ASSIGN(c.registration_rate_limit, parse_number<int>(key, value));
        if (c.registration_rate_limit < 1)
            return bad(key, "must be a number of registrations an hour, 1 or more");
    } else if (key == "scope_catalog") {
        c.scope_catalog = value;
    } else if (key == "dns_resolver") {
        if (value.empty())
            c.dns_resolver.reset();
        else
            c.dns_resolver = value;
    } else if (key == "uri_verification_interval") {
        TESSERA_TRY_ASSIGN(c.uri_verification_interval, parse_number<std::int64_t>(key, value));
    } else if (key == "access_log" || key == "retrievable_client_secrets") {
        if (value != "true" && value != "false") return bad(key, "must be true or false");
        (key == "access_log" ? c.access_log : c.retrievable_client_secrets) = value == "true";
    } else {
        return bad(key, "unknown setting");
    }
    return {};
}

Result<void> apply_file(Config& c, const std::string& path) {
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        return bad("config", "cannot read " + path + ": " + std::string(e.description()));
    }
    for (auto&& [k, node] : table) {
        std::string key(k.str()), value;
        if (node.is_string())
            value = *node.value<std::string>();
        else if (node.is_integer())
            value = std::to_string(*node.value<std::int64_t>());
        else if (node.is_floating_point())
            value = std::to_string(*node.value<double>());
        else if (node.is_boolean())
            value = *node.value<bool>() ? "true" : "false";
        else
            return bad(key, "must be a string, number or boolean");
        TESSERA_TRY(apply(c, key, value));
    }
    return {};
}

Result<void> validate(const Config& c) {
    TESSERA_TRY(parse_listen(c.listen));
    if (c.tls_cert.has_value() != c.tls_key.has_value())
        return bad("tls_cert", "tls_cert and tls_key go together");
    if (c.body_limit < 1024) return bad("body_limit", "must be at least 1024 bytes");
    if (c.io_threads < 0 || c.worker_threads < 0) return bad("io_threads", "must not be negative");
    if (c.rate_limit_capacity < 1 || c.rate_limit_per_minute <= 0)
        return bad("rate_limit_capacity", "rate limits must be positive");
    if (!c.issuer.starts_with("http://") && !c.issuer.starts_with("https://"))
        return bad("issuer", "must be an http(s) URL");
    if (c.dns_resolver && !dns::parse_server_address(*c.dns_resolver))
        return bad("dns_resolver", "must be an IP address and port, e.g. 127.0.0.1:53 or [::1]:53");
    // Cloudflare spec §4.6 allows two days: looking less than daily makes no sense.
    if (c.uri_verification_interval < 1 || c.uri_verification_interval > 86400)
        return bad("uri_verification_interval", "must be a number of seconds, 1 to 86400");
    if (c.registration != "off" && c.registration_owner.empty())
        return bad("registration_owner",
                   "must be the email of the user who owns registered clients when "
                   "registration is " +
                       c.registration);
    return {};
}

}  // namespace

Result<ListenAddress> parse_listen(const std::string& listen) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return bad("listen", "must be HOST:PORT, e.g. 127.0.0.1:8080");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    auto port = parse_number<int>("listen", listen.substr(colon + 1));
    if (!port || *port < 0 || *port > 65535) return bad("listen", "port must be 0..65535");
    return ListenAddress{host, static_cast<std::uint16_t>(*port)};
}

Result<Config> load_config(const std::optional<std::string>& config_file,
                           const std::map<std::string, std::string>& flags) {
    Config c;
    std::optional<std::string> file = config_file;
    if (!file) {
        if (const char* env = std::getenv("TESSERA_CONFIG"); env && *env) file = env;
    }
    if (file) TESSERA_TRY(apply_file(c, *file));
    for (const char* key : kConfigKeys) {
        std::string env_name = "TESSERA_";
        for (const char* p = key; *p; ++p) env_name += static_cast<char>(std::toupper(*p));
        if (const char* env = std::getenv(env_name.c_str()); env && *env)
            TESSERA_TRY(apply(c, key, env));
    }
    for (const auto& [key, value] : flags) TESSERA_TRY(apply(c, key, value));
    while (c.issuer.size() > 1 && c.issuer.back() == '/') c.issuer.pop_back();
    TESSERA_TRY(validate(c));
    return c;
}

}  // namespace tessera::app
