#include "api/oauth/form.hpp"

namespace tessera::api::oauth {
namespace {

Result<void> add_pairs(Form& form, std::string_view text) {
    while (!text.empty()) {
        auto amp = text.find('&');
        auto pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        auto name = http::percent_decode(pair.substr(0, eq), true);
        auto value = http::percent_decode(
            eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
        if (!name || !value)
            return make_error(Code::invalid_request, "the request has a malformed percent-escape");
        std::string shown = name->substr(0, 64);
        if (!form.add(std::move(*name), std::move(*value)))
            return make_error(Code::invalid_request,
                              "the parameter '" + shown + "' must not be sent twice");
    }
    return {};
}

}  // namespace

std::optional<std::string> Form::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

bool Form::add(std::string name, std::string value) {
    return values_.emplace(std::move(name), std::move(value)).second;
}

Result<Form> parse_form(const http::Request& request, bool with_query) {
    Form form;
    if (request.body.find_first_not_of(" \t\r\n") != std::string::npos) {
        auto type = request.headers.get("Content-Type");
        auto media = type ? type->substr(0, type->find(';')) : std::string_view();
        while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
        if (!http::iequals(media, "application/x-www-form-urlencoded"))
            return make_error(Code::invalid_request,
                              "the body must be application/x-www-form-urlencoded");
        TESSERA_TRY(add_pairs(form, request.body));
    }
    if (with_query) TESSERA_TRY(add_pairs(form, request.query));
    return form;
}

}  // namespace tessera::api::oauth
