#pragma once

// Test support (STYLE.md §7): a ClientStore that forwards to a real one and
// fails its Nth call, 0-based, with `unavailable`. Calls made through
// step() by derived fakes count too.
#include "core/store/client_store.hpp"

namespace tessera::core::testing {

class FaultyClientStore : public ClientStore {
public:
    FaultyClientStore(ClientStore& inner, int fail_at) : inner_(inner), fail_at_(fail_at) {}
    int calls() const { return calls_; }

    Result<void> create_client(const Client& c) override {
        TESSERA_TRY(step());
        return inner_.create_client(c);
    }
    Result<bool> create_client_within_limit(const Client& c, int max) override {
        TESSERA_TRY(step());
        return inner_.create_client_within_limit(c, max);
    }
    Result<Client> find_client(const Id& id) override {
        TESSERA_TRY(step());
        return inner_.find_client(id);
    }
    Result<Page<Client>> list_clients_by_owner(const Id& o, const PageQuery& q) override {
        TESSERA_TRY(step());
        return inner_.list_clients_by_owner(o, q);
    }
    Result<std::vector<Client>> list_account_clients(const Id& a, int limit) override {
        TESSERA_TRY(step());
        return inner_.list_account_clients(a, limit);
    }
    Result<void> update_client(const Client& c) override {
        TESSERA_TRY(step());
        return inner_.update_client(c);
    }
    Result<void> update_client_and_verification(const Client& c) override {
        TESSERA_TRY(step());
        return inner_.update_client_and_verification(c);
    }
    Result<bool> rotate_client_secret(const Id& id, const std::string& digest,
                                      const std::optional<std::string>& ct, Timestamp t) override {
        TESSERA_TRY(step());
        return inner_.rotate_client_secret(id, digest, ct, t);
    }
    Result<bool> drop_previous_secret(const Id& id, Timestamp t) override {
        TESSERA_TRY(step());
        return inner_.drop_previous_secret(id, t);
    }
    Result<void> set_client_secrets(const Id& id, const std::string& cur,
                                    const std::optional<std::string>& prev,
                                    const std::optional<std::string>& ct, Timestamp t) override {
        TESSERA_TRY(step());
        return inner_.set_client_secrets(id, cur, prev, ct, t);
    }
    Result<Client> delete_client(const Id& id) override {
        TESSERA_TRY(step());
        return inner_.delete_client(id);
    }

protected:
    Result<void> step() {
        if (calls_++ == fail_at_)
            return make_error(Code::unavailable, "the database is unavailable", "injected fault");
        return {};
    }

private:
    ClientStore& inner_;
    int fail_at_;
    int calls_ = 0;
};

}  // namespace tessera::core::testing
