#include "web/pages.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "web/embedded_files.hpp"
#include "web/template.hpp"

namespace tessera::web {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self' https:; frame-ancestors 'none'; "
    "base-uri 'none'";
// form_post.html's one script, `document.getElementById("response").submit();`:
// base64 of its SHA-256 (CSP Level 2 §4.2.4). pages_test recomputes it from
// the template, so an edit to the script that forgets this fails the build.
constexpr std::string_view kFormPostScriptHash =
    "'sha256-mQ2oGECEQvP+Nu+by0UKX2wmZ+b33NETq1RQ2wOEDw0='";

std::string_view embedded_file(std::string_view name) {
    for (const auto& file : embedded_files())
        if (file.name == name) return file.text;
    std::fprintf(stderr, "tessera: web file %.*s is not embedded\n", int(name.size()), name.data());
    std::abort();
}

// Templates are compiled in, so a parse failure is a defect of this build, not
// a runtime condition: there is no page to fall back to, and web_test parses
// every template, so CI sees it first. Abort with the reason.
Template compile(std::string_view name) {
    auto parsed = Template::parse(embedded_file(name), name);
    if (!parsed) {
        const auto& detail = parsed.error().log_detail;
        std::fprintf(stderr, "tessera: %.*s\n", int(detail.size()), detail.data());
        std::abort();
    }
    return std::move(parsed).value();
}

struct Templates {
    Template layout = compile("layout.html");
    Template sign_in = compile("sign_in.html");
    Template consent = compile("consent.html");
    Template error = compile("error.html");
    Template signed_out = compile("signed_out.html");
    Template sign_out_confirm = compile("sign_out_confirm.html");
    Template form_post = compile("form_post.html");
};

const Templates& templates() {
    static const Templates kTemplates;  // thread-safe initialization on first use
    return kTemplates;
}

http::Response html_page(int status, std::string_view title, const Template& body,
                         const Context& data, std::string_view policy = kContentSecurityPolicy) {
    Context frame{{"title", title}, {"body", body.render(data)}};
    http::Response response;
    response.status = status;
    response.headers.set("Content-Type", "text/html; charset=utf-8");
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Content-Security-Policy", std::string(policy));
    response.headers.set("X-Frame-Options", "DENY");
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Referrer-Policy", "no-referrer");
    response.body = templates().layout.render(frame).str();
    return response;
}

Context hidden_fields(const HiddenFields& hidden) {
    Context::List fields;
    for (const auto& [name, value] : hidden)
        fields.push_back(Context{{"name", name}, {"value", value}});
    return fields;
}

}  // namespace

http::Response sign_in_page(const SignInView& view) {
    Context data{{"action", view.action},
                 {"hidden", hidden_fields(view.hidden)},
                 {"client_name", view.client_name},
                 {"email", view.email},
                 {"error", view.error},
                 // Focus the first field still to fill; the password is never prefilled.
                 {"email_autofocus", view.email.empty()},
                 {"password_autofocus", !view.email.empty()}};
    return html_page(view.status, "Sign in", templates().sign_in, data);
}

http::Response consent_page(const ConsentView& view) {
    Context::List scopes;
    bool has_choices = false;
    for (const auto& scope : view.scopes) {
        scopes.push_back(Context{{"id", scope.id},
                                 {"description", scope.description},
                                 {"optional", scope.optional},
                                 {"field", "grant." + scope.id}});
        has_choices = has_choices || scope.optional;
    }
    // Only an https logo: anything else (http:, data:, javascript:, a relative
    // path) is dropped rather than fetched or interpreted.
    bool has_logo = view.logo_uri.starts_with("https://");
    bool has_scopes = !scopes.empty();
    Context data{{"action", view.action},
                 {"sign_out_action", view.sign_out_action},
                 {"hidden", hidden_fields(view.hidden)},
                 {"client_name", view.client_name},
                 {"logo_uri", has_logo ? view.logo_uri : std::string()},
                 {"user_email", view.user_email},
                 {"has_scopes", has_scopes},
                 {"has_choices", has_choices},
                 {"scopes", scopes}};
    return html_page(200, "Authorize " + view.client_name, templates().consent, data);
}

http::Response error_page(const ErrorView& view) {
    Context data{{"title", view.title}, {"message", view.message}};
    return html_page(view.status, view.title, templates().error, data);
}

http::Response signed_out_page() {
    return html_page(200, "Signed out", templates().signed_out, Context{});
}

http::Response sign_out_confirm_page(const SignOutConfirmView& view) {
    Context data{{"action", view.action},
                 {"hidden", hidden_fields(view.hidden)},
                 {"user_email", view.user_email}};
    return html_page(200, "Sign out", templates().sign_out_confirm, data);
}

std::string_view form_post_script_hash() { return kFormPostScriptHash; }

http::Response form_post_page(const FormPostView& view) {
    Context data{{"action", view.action},
                 {"fields", hidden_fields(view.fields)},
                 {"client_name", view.client_name}};
    // The one page with a script: only the script whose hash this names.
    std::string policy = "default-src 'none'; script-src " + std::string(kFormPostScriptHash) +
                         "; style-src 'self'; img-src 'self' https:; frame-ancestors 'none'; "
                         "base-uri 'none'";
    return html_page(200, "Returning to the application", templates().form_post, data, policy);
}

http::Response stylesheet() {
    http::Response response;
    response.headers.set("Content-Type", "text/css; charset=utf-8");
    response.headers.set("Cache-Control", "public, max-age=86400");
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.body = std::string(embedded_file("tessera.css"));
    return response;
}

}  // namespace tessera::web
