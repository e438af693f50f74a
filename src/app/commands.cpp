#include "app/commands.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "api/heroku/authorization_json.hpp"
#include "app/command_support.hpp"
#include "app/wiring.hpp"
#include "crypto/jws.hpp"
#include "http/server.hpp"

namespace tessera::app {

int run_migrate(const std::optional<std::string>& config_file,
                const std::map<std::string, std::string>& flags) {
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    std::cout << "applied " << (*app)->migrations_applied() << " migration(s)\n";
    return 0;
}

int run_users_create(const std::optional<std::string>& config_file,
                     const std::map<std::string, std::string>& flags, const NewUserFlags& input) {
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    auto user = (*app)->users().create({input.email, input.password, input.name});
    if (!user) return fail(user.error());
    boost::json::object o;
    o["id"] = user->id.uuid();
    o["email"] = user->email;
    o["name"] = user->name;
    o["account_id"] = user->account_id.hex();
    std::cout << boost::json::serialize(o) << '\n';
    return 0;
}

int run_authorizations_create(const std::optional<std::string>& config_file,
                              const std::map<std::string, std::string>& flags,
                              const NewAuthorizationFlags& input) {
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    auto user = (*app)->users().find_by_email(input.email);
    if (!user) {
        if (user.error().code == Code::not_found)
            return fail(make_error(Code::not_found, "no user has the email " + input.email));
        return fail(user.error());
    }
    auto minted = (*app)->authorizations().create_direct(
        {user->id, input.scopes, input.description, input.expires_in, input.is_api_key});
    if (!minted) return fail(minted.error());
    std::cout << api::heroku::render_minted_authorization(*minted, *user, (*app)->clock().now())
              << '\n';
    return 0;
}

int run_clients_create(const std::optional<std::string>& config_file,
                       const std::map<std::string, std::string>& flags,
                       const NewClientFlags& input) {
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    auto owner = (*app)->users().find_by_email(input.owner_email);
    if (!owner) {
        if (owner.error().code == Code::not_found)
            return fail(make_error(Code::not_found, "no user has the email " + input.owner_email));
        return fail(owner.error());
    }
    core::NewOAuthClient wanted{owner->id,           owner->account_id,   input.name,
                                input.redirect_uris, input.grant_types,   input.scopes,
                                input.auth_method,   input.refresh_policy, input.access_token_format};
    if (!input.response_types.empty()) wanted.response_types = input.response_types;
    wanted.id_token_signed_response_alg = input.id_token_alg;
    auto created = (*app)->clients().register_client(wanted, (*app)->scopes());
    if (!created) return fail(created.error());
    const auto& c = created->client;
    auto strings = [](const std::vector<std::string>& items) {
        boost::json::array out;
        for (const auto& item : items) out.emplace_back(item);
        return out;
    };
    boost::json::object o;
    o["id"] = c.id.uuid();
    o["secret"] = created->secret.empty() ? boost::json::value(nullptr)
                                          : boost::json::value(created->secret.reveal());
    o["name"] = c.name;
    o["account_id"] = c.account_id.hex();
    o["redirect_uris"] = strings(c.redirect_uris);
    o["grant_types"] = strings(c.grant_types);
    o["response_types"] = strings(c.response_types);
    o["scopes"] = strings(c.scopes);
    o["token_endpoint_auth_method"] = c.token_endpoint_auth_method;
    o["refresh_policy"] = c.refresh_policy;
    if (!c.id_token_signed_response_alg.empty())
        o["id_token_signed_response_alg"] = c.id_token_signed_response_alg;
    o["access_token_format"] = c.access_token_format;
    o["created_at"] = format_rfc3339(c.created_at);
    std::cout << boost::json::serialize(o) << '\n';
    return 0;
}

int run_keys_rotate(const std::optional<std::string>& config_file,
                    const std::map<std::string, std::string>& flags, const std::string& algorithm) {
    auto parsed = crypto::parse_jws_algorithm(algorithm);
    if (!parsed)
        return fail(
            make_error(Code::invalid_params, "--algorithm: expected ES256, RS256 or EdDSA"));
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    auto rotation = (*app)->keys().rotate(*parsed);
    if (!rotation) return fail(rotation.error());
    auto published = (*app)->keys().published();
    if (!published) return fail(published.error());
    auto kid_or_null = [](const std::optional<std::string>& kid) {
        return kid ? boost::json::value(*kid) : boost::json::value(nullptr);
    };
    boost::json::object o;
    o["published"] = rotation->published;
    o["promoted"] = kid_or_null(rotation->promoted);
    o["retired"] = kid_or_null(rotation->retired);
    boost::json::array keys;
    for (const auto& key : *published) {
        std::string_view state = key.state == core::KeyState::current ? "current"
                                 : key.state == core::KeyState::next  ? "next"
                                                                      : "retired";
        boost::json::object k{{"kid", key.id}, {"algorithm", key.algorithm}, {"state", state}};
        if (key.expires_at) k["published_until"] = format_rfc3339(*key.expires_at);
        keys.push_back(std::move(k));
    }
    o["keys"] = std::move(keys);
    std::cout << boost::json::serialize(o) << '\n';
    return 0;
}

int run_registration_tokens_create(const std::optional<std::string>& config_file,
                                   const std::map<std::string, std::string>& flags,
                                   const NewRegistrationTokenFlags& input) {
    std::optional<int> max_uses;
    if (input.max_uses != 0) max_uses = input.max_uses;
    if (input.max_uses < 0)
        return fail(make_error(Code::invalid_params, "--max-uses: must be 0 (unlimited) or more"));
    auto app = open_app(config_file, flags);
    if (!app) return fail(app.error());
    auto issued = (*app)->registration().issue_initial_token(input.expires_in, max_uses);
    if (!issued) return fail(issued.error());
    const auto& t = issued->token;
    boost::json::object o;
    o["id"] = t.id.uuid();
    o["token"] = issued->value.reveal();
    o["max_uses"] = t.max_uses ? boost::json::value(*t.max_uses) : boost::json::value(nullptr);
    o["expires_at"] = t.expires_at ? boost::json::value(format_rfc3339(*t.expires_at))
                                   : boost::json::value(nullptr);
    o["created_at"] = format_rfc3339(t.created_at);
    std::cout << boost::json::serialize(o) << '\n';
    return 0;
}

int run_serve(const std::optional<std::string>& config_file,
              const std::map<std::string, std::string>& flags) {
    // Our own messages go to stderr; stdout carries the JSON access log.
    spdlog::set_default_logger(spdlog::stderr_color_mt("tessera"));
    Config config;
    auto app = open_app(config_file, flags, &config);
    if (!app) return fail(app.error());
    auto listen = parse_listen(config.listen);
    http::ServerOptions options;
    options.host = listen->host;
    options.port = listen->port;
    options.io_threads = config.io_threads;
    options.worker_threads = config.worker_threads;
    options.body_limit = static_cast<std::size_t>(config.body_limit);
    options.tls_cert_file = config.tls_cert;
    options.tls_key_file = config.tls_key;
    options.access_log = config.access_log;
    const Application& application = **app;
    options.run_inline = [&](const http::Request& r) { return application.runs_inline(r); };
    http::Server server(
        options, [&](http::Request& r) { return application.handle(r); },
        [&](const http::Request& r, int status, std::string_view message) {
            return application.render_transport_error(r, status, message);
        });
    if (auto error = server.start(); !error.empty()) {
        std::cerr << "tessera: " << error << '\n';
        return 1;
    }
    spdlog::info("tessera listening on {}://{}:{} (issuer {})", config.tls_cert ? "https" : "http",
                 options.host, server.port(), config.issuer);
    // The janitor purges expired tokens at start and then every minute, off
    // the request path; it stops with the server.
    std::jthread janitor([&janitor = (*app)->janitor()](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        do {
            auto purged = janitor.sweep();
            if (!purged)
                spdlog::warn("janitor: {}", purged.error().description);
            else if (*purged > 0)
                spdlog::info("janitor: purged {} expired token(s)", *purged);
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, std::chrono::minutes(1), [] { return false; });
        } while (!stop.stop_requested());
    });
    // Client URI verification (Cloudflare spec §4.6): a batch of DNS lookups
    // every 30 s. Only counts are logged, never hosts' records.
    std::jthread verifier([&verifier = (*app)->uri_verifier()](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        do {
            auto settled = verifier.run_once(stop);
            if (!settled)
                spdlog::warn("uri verification: {} ({})", settled.error().description,
                             settled.error().log_detail);
            else if (*settled > 0)
                spdlog::info("uri verification: {} verification(s) verified or failed", *settled);
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, std::chrono::seconds(30), [] { return false; });
        } while (!stop.stop_requested());
    });
    server.run(/*handle_signals=*/true);
    spdlog::info("tessera stopped");
    return 0;
}

}  // namespace tessera::app
