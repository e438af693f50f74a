// ClientStore::list_clients_by_owner() paging (Heroku Range) on every backend.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

using core::PageQuery;
using core::SortField;

// Names with duplicates, prefixes of each other, upper case and non-ASCII, so
// byte order and exclusive bounds on names are exercised.
const std::vector<std::string> kNames = {"app", "app-1", "app-10", "beta", "Zed", "\xc3\xa4pp"};
constexpr int kClients = 25;

// PageQuery spelled with designated initializers.
struct Query {
    SortField field = SortField::id;
    std::optional<std::string> start = std::nullopt;
    bool start_exclusive = false;
    std::optional<std::string> end = std::nullopt;
    bool end_exclusive = false;
    int max = 200;
    bool descending = false;

    operator PageQuery() const {
        PageQuery query;
        query.field = field;
        query.start = start;
        query.start_exclusive = start_exclusive;
        query.end = end;
        query.end_exclusive = end_exclusive;
        query.max = max;
        query.descending = descending;
        return query;
    }
};

std::string wire_key(SortField field, const core::Client& client) {
    return field == SortField::id ? client.id.uuid() : client.name;
}

class ClientPaginationConformance : public StoreConformance {
protected:
    void SetUp() override {
        StoreConformance::SetUp();
        if (HasFatalFailure()) return;
        owner_ = create_user("owner@example.com");
        core::User stranger = create_user("stranger@example.com");
        for (int i = 0; i < kClients; ++i) {
            owned_.push_back(create_client(owner_, kNames[i % kNames.size()]));
        }
        for (const auto& name : kNames) create_client(stranger, name);
    }

    // The owner's clients in (field, id) order, keys compared as bytes.
    std::vector<core::Client> sorted(SortField field, bool descending) const {
        auto items = owned_;
        std::sort(items.begin(), items.end(), [&](const auto& a, const auto& b) {
            auto ka = std::make_pair(wire_key(field, a), a.id);
            auto kb = std::make_pair(wire_key(field, b), b.id);
            return descending ? kb < ka : ka < kb;
        });
        return items;
    }

    // What a query should return, straight from the PageQuery definition
    // (keys compared as byte strings), ignoring max.
    std::vector<Id> reference(const PageQuery& query) const {
        std::vector<Id> ids;
        for (const auto& client : sorted(query.field, query.descending)) {
            std::string key = wire_key(query.field, client);
            if (query.start) {
                bool before = query.descending ? key > *query.start : key < *query.start;
                if (before || (query.start_exclusive && key == *query.start)) continue;
            }
            if (query.end) {
                bool after = query.descending ? key < *query.end : key > *query.end;
                if (after || (query.end_exclusive && key == *query.end)) continue;
            }
            ids.push_back(client.id);
        }
        return ids;
    }

    core::Page<core::Client> list(const PageQuery& query) {
        auto page = clients().list_clients_by_owner(owner_.id, query);
        EXPECT_TRUE(page.has_value()) << page.error().log_detail;
        return page.has_value() ? std::move(page).value() : core::Page<core::Client>{};
    }

    static std::vector<Id> ids_of(const std::vector<core::Client>& list) {
        std::vector<Id> ids;
        for (const auto& client : list) ids.push_back(client.id);
        return ids;
    }

    core::User owner_;
    std::vector<core::Client> owned_;
};

TEST_P(ClientPaginationConformance, PagingWithExclusiveStartsVisitsEveryClientOnce) {
    const struct {
        SortField field;
        bool descending;
    } orders[] = {{SortField::id, false},
                  {SortField::id, true},
                  {SortField::name, false},
                  {SortField::name, true}};
    for (const auto& order : orders) {
        SCOPED_TRACE(std::string(order.field == SortField::id ? "id" : "name") +
                     (order.descending ? " desc" : " asc"));
        PageQuery query = Query{.field = order.field, .max = 10, .descending = order.descending};
        std::vector<core::Client> visited;
        std::vector<std::size_t> sizes;
        for (int pages = 0; pages < kClients; ++pages) {
            auto page = list(query);
            ASSERT_FALSE(page.items.empty());
            ASSERT_LE(page.items.size(), 10u);
            sizes.push_back(page.items.size());
            visited.insert(visited.end(), page.items.begin(), page.items.end());
            if (!page.has_more) break;
            query.start = wire_key(order.field, page.items.back());
            query.start_exclusive = true;
        }
        EXPECT_EQ(ids_of(visited), ids_of(sorted(order.field, order.descending)));
        if (order.field == SortField::id) {
            EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 10, 5}));
        }
    }
}

TEST_P(ClientPaginationConformance, BoundsSelectExactlyTheKeysThePageQueryAdmits) {
    auto by_id = sorted(SortField::id, false);
    auto id_key = [&](int i) { return by_id[i].id.uuid(); };
    const Query cases[] = {
        {.field = SortField::id, .start = id_key(5), .end = id_key(9)},
        {.field = SortField::id,
         .start = id_key(5),
         .start_exclusive = true,
         .end = id_key(9),
         .end_exclusive = true},
        {.field = SortField::id, .start = id_key(20), .end = id_key(3), .descending = true},
        {.field = SortField::id,
         .start = id_key(20),
         .start_exclusive = true,
         .end = id_key(3),
         .end_exclusive = true,
         .descending = true},
        {.field = SortField::id, .start = "80000000-0000-4000-8000-000000000000"},
        {.field = SortField::id, .end = "80000000-0000-4000-8000-000000000000"},
        {.field = SortField::id, .start = id_key(9), .end = id_key(5)},  // empty
        {.field = SortField::name, .end = "app-1"},
        {.field = SortField::name, .end = "app-1", .end_exclusive = true},
        {.field = SortField::name,
         .start = "app",
         .start_exclusive = true,
         .end = "beta",
         .end_exclusive = true},
        {.field = SortField::name, .start = "app-10", .end = "app", .descending = true},
        {.field = SortField::name,
         .start = "app-10",
         .start_exclusive = true,
         .end = "app",
         .end_exclusive = true,
         .descending = true},
        {.field = SortField::name, .start = "b"},  // between keys
        {.field = SortField::name, .start = "app-1", .descending = true},
        {.field = SortField::name, .start = "", .end = "\xff"},  // not UTF-8: compared as bytes
        {.field = SortField::name, .start = "\xc3", .descending = true},
        {.field = SortField::name, .start = "Zed", .start_exclusive = true, .end = "\xc3\xa4pp"},
    };
    for (std::size_t i = 0; i < std::size(cases); ++i) {
        SCOPED_TRACE("case " + std::to_string(i));
        PageQuery query = cases[i];
        query.max = 100;
        auto page = list(query);
        EXPECT_EQ(ids_of(page.items), reference(query));
        EXPECT_FALSE(page.has_more);
    }
}

TEST_P(ClientPaginationConformance, HasMoreIsSetOnlyWhenItemsRemainBeforeTheEnd) {
    auto by_id = sorted(SortField::id, false);
    PageQuery query = Query{.field = SortField::id, .end = by_id[4].id.uuid(), .max = 3};
    auto page = list(query);
    EXPECT_EQ(ids_of(page.items), (std::vector<Id>{by_id[0].id, by_id[1].id, by_id[2].id}));
    EXPECT_TRUE(page.has_more);

    query.max = 5;
    page = list(query);
    EXPECT_EQ(page.items.size(), 5u);
    EXPECT_FALSE(page.has_more);
}

TEST_P(ClientPaginationConformance, MaxIsClampedToOneThroughAThousand) {
    const struct {
        int max;
        std::size_t size;
        bool has_more;
    } cases[] = {{0, 1, true}, {-5, 1, true}, {1, 1, true}, {25, 25, false}, {5000, 25, false}};
    for (const auto& c : cases) {
        auto page = list(Query{.max = c.max});
        EXPECT_EQ(page.items.size(), c.size) << c.max;
        EXPECT_EQ(page.has_more, c.has_more) << c.max;
    }
}

TEST_P(ClientPaginationConformance, KeysOfAnIdQueryMustBeIds) {
    const struct {
        Query query;
        const char* description;
    } cases[] = {
        {{.start = "not-an-id"}, "the Range start is not a valid id"},
        {{.start = ""}, "the Range start is not a valid id"},
        {{.end = "App"}, "the Range end is not a valid id"},
    };
    for (const auto& c : cases) {
        auto page = clients().list_clients_by_owner(owner_.id, c.query);
        ASSERT_FALSE(page.has_value());
        EXPECT_EQ(page.error().code, Code::invalid_request);
        EXPECT_EQ(page.error().description, c.description);
    }
    auto by_name = clients().list_clients_by_owner(
        owner_.id, Query{.field = SortField::name, .start = "not-an-id"});
    EXPECT_TRUE(by_name.has_value());
}

TEST_P(ClientPaginationConformance, APageByNameEndsBeforeARunOfEqualNamesItWouldCut) {
    // By name: Zed x4, app x5, ...: a page of 7 would end inside the run of
    // "app", so it ends before that run instead.
    auto all = sorted(SortField::name, false);
    std::vector<core::Client> expected(all.begin(), all.begin() + 7);
    while (!expected.empty() && expected.back().name == all[7].name) expected.pop_back();
    ASSERT_EQ(expected.size(), 4u);
    auto page = list(Query{.field = SortField::name, .max = 7});
    EXPECT_TRUE(page.has_more);
    EXPECT_EQ(ids_of(page.items), ids_of(expected));
    // Paging on from the last name returned reaches the whole run.
    page = list(Query{.field = SortField::name,
                      .start = page.items.back().name,
                      .start_exclusive = true,
                      .max = 7});
    ASSERT_FALSE(page.items.empty());
    EXPECT_EQ(page.items.front().id, all[4].id);
}

TEST_P(ClientPaginationConformance, ARunOfEqualNamesLongerThanThePageFillsIt) {
    for (int i = 0; i < 12; ++i) owned_.push_back(create_client(owner_, "0-same"));
    auto page = list(Query{.field = SortField::name, .max = 5});
    ASSERT_EQ(page.items.size(), 5u);
    EXPECT_TRUE(page.has_more);
    for (const auto& client : page.items) EXPECT_EQ(client.name, "0-same");
    auto expected = ids_of(sorted(SortField::name, false));
    expected.resize(5);
    EXPECT_EQ(ids_of(page.items), expected);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClientPaginationConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
