// The loopback redirect of a native app's sign-in (RFC 8252 §7.3, §8.3):
// one listener on 127.0.0.1, one redirect served, then closed.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <functional>
#include <memory>

#include "tessera/native_app.hpp"

namespace tessera::sdk {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

// A browser that connects and sends nothing (a speculative preconnect) is
// dropped after this; so is one that does not read the final page.
constexpr auto kConnectionTimeout = std::chrono::seconds(10);

// The pages never echo what the request carried (no input in HTML).
constexpr const char* kDonePage =
    "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Signed in</title>"
    "<p>The sign-in is complete. You can close this window and return to the application.</p>"
    "</html>\n";
constexpr const char* kFailedPage =
    "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Sign-in not completed</title>"
    "<p>The sign-in was not completed. Return to the application to see why.</p></html>\n";

ApiError failure(ErrorKind kind, std::string message, std::string id = "") {
    ApiError error;
    error.kind = kind;
    error.id = std::move(id);
    error.message = std::move(message);
    return error;
}

// What one request to the listener decides: the page to answer with and,
// for the redirect itself, the sign-in's outcome.
struct Decision {
    bhttp::status status = bhttp::status::ok;
    std::string page;
    std::optional<Result<AuthorizationResponse>> outcome;
};

Decision decide(const bhttp::request<bhttp::string_body>& request, const std::string& path,
                const std::string& state, const std::optional<std::string>& issuer) {
    auto target = boost::urls::parse_origin_form(request.target());
    if (!target || target->path() != path)
        return {bhttp::status::not_found, "<!DOCTYPE html><title>Not found</title>\n", {}};
    if (request.method() != bhttp::verb::get)
        return {
            bhttp::status::method_not_allowed, "<!DOCTYPE html><title>Not allowed</title>\n", {}};
    auto param = [&](std::string_view name) -> std::optional<std::string> {
        auto params = target->params();
        auto it = params.find(name);
        if (it == params.end() || !(*it).has_value) return std::nullopt;
        return std::string((*it).value);
    };
    Decision d{bhttp::status::ok, kFailedPage, {}};
    // RFC 6749 §10.12: an answer that does not carry this sign-in's state,
    // error or not, may come from another site; it is not believed.
    auto got_state = param("state");
    if (!got_state || !(Secret(*got_state) == Secret(state))) {
        d.outcome = failure(ErrorKind::protocol,
                            "the sign-in answer does not carry this sign-in's state; start again");
        return d;
    }
    // RFC 9207 §2.4: an answer naming another issuer is refused.
    auto iss = param("iss");
    if (issuer && iss && *iss != *issuer) {
        d.outcome = failure(ErrorKind::protocol, "the sign-in answer comes from the issuer " +
                                                     *iss + ", not " + *issuer);
        return d;
    }
    if (auto error = param("error")) {
        auto description = param("error_description");
        d.outcome = failure(ErrorKind::api,
                            description && !description->empty()
                                ? *description
                                : "the authorization server refused the sign-in",
                            *error);
        return d;
    }
    auto code = param("code");
    if (!code || code->empty()) {
        d.outcome = failure(ErrorKind::protocol, "the sign-in answer carries no code");
        return d;
    }
    d.page = kDonePage;
    d.outcome = AuthorizationResponse{Secret(std::move(*code)), std::move(iss)};
    return d;
}

struct Connection {
    explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> request;
    bhttp::response<bhttp::string_body> response;
};

}  // namespace

struct LoopbackRedirect::State {
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::string path;
    std::string redirect_uri;
    int port = 0;
    bool is_used = false;
};

LoopbackRedirect::LoopbackRedirect(std::unique_ptr<State> state) : state_(std::move(state)) {}
LoopbackRedirect::LoopbackRedirect(LoopbackRedirect&&) noexcept = default;
LoopbackRedirect& LoopbackRedirect::operator=(LoopbackRedirect&&) noexcept = default;
LoopbackRedirect::~LoopbackRedirect() = default;

const std::string& LoopbackRedirect::redirect_uri() const { return state_->redirect_uri; }
int LoopbackRedirect::port() const { return state_->port; }

Result<LoopbackRedirect> LoopbackRedirect::listen(std::string path) {
    if (path.empty() || path.front() != '/' || path.find_first_of("?#% ") != std::string::npos)
        return failure(ErrorKind::usage, "the redirect path must start with / and be plain");
    auto state = std::make_unique<State>();
    state->path = std::move(path);
    // RFC 8252 §8.3: the loopback IP literal, so no other interface (and no
    // DNS answer for "localhost") is involved; port 0: the system picks.
    tcp::endpoint where(asio::ip::make_address_v4("127.0.0.1"), 0);
    boost::system::error_code ec;
    state->acceptor.open(where.protocol(), ec);
    if (!ec) state->acceptor.bind(where, ec);
    if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return failure(ErrorKind::network,
                       "cannot listen on 127.0.0.1 for the sign-in redirect: " + ec.message());
    state->port = state->acceptor.local_endpoint().port();
    state->redirect_uri = "http://127.0.0.1:" + std::to_string(state->port) + state->path;
    return LoopbackRedirect(std::move(state));
}

Result<AuthorizationResponse> LoopbackRedirect::wait(const std::string& state,
                                                     std::chrono::milliseconds timeout,
                                                     const std::optional<std::string>& issuer) {
    auto& s = *state_;
    if (s.is_used || !s.acceptor.is_open())
        return failure(ErrorKind::usage, "this loopback redirect has already been used");
    s.is_used = true;
    std::optional<Result<AuthorizationResponse>> outcome;

    // Every handler below runs inside ioc.run_for() in this frame, so they
    // may refer to its locals; those left pending are destroyed, never run,
    // with the io_context.
    std::function<void()> accept;
    auto serve = [&](std::shared_ptr<Connection> c) {
        c->stream.expires_after(kConnectionTimeout);
        bhttp::async_read(c->stream, c->buffer, c->request, [&, c](beast::error_code ec, auto) {
            if (ec || outcome) return;
            Decision d = decide(c->request, s.path, state, issuer);
            bool is_final = d.outcome.has_value();
            if (is_final) {
                outcome = std::move(d.outcome);
                s.acceptor.close();  // one redirect is served, no more connections
            }
            c->response.result(d.status);
            c->response.version(11);
            c->response.set(bhttp::field::content_type, "text/html; charset=utf-8");
            c->response.set(bhttp::field::cache_control, "no-store");
            // The page's URL holds the code: never send it on as a Referer.
            c->response.set("Referrer-Policy", "no-referrer");
            c->response.set("Content-Security-Policy", "default-src 'none'");
            c->response.keep_alive(false);
            c->response.body() = std::move(d.page);
            c->response.prepare_payload();
            bhttp::async_write(c->stream, c->response, [&, c, is_final](beast::error_code, auto) {
                beast::error_code ignored;
                c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                if (is_final) s.ioc.stop();
            });
        });
    };
    accept = [&] {
        s.acceptor.async_accept([&](beast::error_code ec, tcp::socket socket) {
            if (ec) return;  // closed: the redirect came
            serve(std::make_shared<Connection>(std::move(socket)));
            accept();
        });
    };
    accept();
    s.ioc.run_for(timeout);
    s.ioc.stop();
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    if (!outcome)
        return failure(
            ErrorKind::timeout,
            "no sign-in answer came from the browser in time (" +
                std::to_string(std::chrono::ceil<std::chrono::seconds>(timeout).count()) + " s)");
    return std::move(*outcome);
}

}  // namespace tessera::sdk
