// core::GrantStore races on every backend: two callers at once, on one store
// (sharing its connections) or on two (each with its own, as two server
// processes or nodes have). Exactly one wins each race.
#include <algorithm>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "grant_conformance_test.hpp"

namespace tessera::store_conformance {
namespace {

using core::Rotation;

class GrantRaceConformance : public GrantStoreConformance {
protected:
    void SetUp() override {
        GrantStoreConformance::SetUp();
        if (HasFatalFailure()) return;
        auto second = backend_->second_node();
        ASSERT_TRUE(second.has_value()) << second.error().log_detail;
        second_ = std::move(second).value();
    }

    void TearDown() override {
        second_.reset();
        GrantStoreConformance::TearDown();
    }

    // Runs `fn(store, i)` for i = 0, 1 on two threads started together.
    template <typename F>
    void race(bool separate_nodes, F fn) {
        core::GrantStore* stores[] = {&grants(),
                                      separate_nodes ? &second_->stores().grants : &grants()};
        std::latch start(2);
        std::vector<std::thread> threads;
        for (int i = 0; i < 2; ++i) {
            threads.emplace_back([&, i] {
                start.arrive_and_wait();
                fn(*stores[i], i);
            });
        }
        for (auto& thread : threads) thread.join();
    }

    std::unique_ptr<Backend> second_;
};

TEST_P(GrantRaceConformance, ConcurrentRedeemsOfOneCodeHaveOneWinner) {
    for (bool separate : {false, true}) {
        for (int round = 0; round < 10; ++round) {
            core::AuthorizationCode code = create_code();
            Family families[2] = {{session_for(authorization_), refresh_token(), session_access()},
                                  {session_for(authorization_), refresh_token(), session_access()}};
            Result<bool> results[2] = {false, false};
            race(separate, [&](core::GrantStore& store, int i) {
                results[i] = store.redeem_code(code.id, clock_.now(), families[i].session,
                                               families[i].refresh, families[i].access);
            });
            ASSERT_TRUE(results[0].has_value()) << results[0].error().log_detail;
            ASSERT_TRUE(results[1].has_value()) << results[1].error().log_detail;
            ASSERT_NE(*results[0], *results[1]) << "exactly one exchange wins";
            const Family& winner = families[*results[0] ? 0 : 1];
            const Family& loser = families[*results[0] ? 1 : 0];
            EXPECT_EQ(grants().find_code(code.digest)->session_id, winner.session.id);
            EXPECT_TRUE(grants().find_session(winner.session.id).has_value());
            EXPECT_FALSE(grants().find_session(loser.session.id).has_value());
            EXPECT_FALSE(grants().find_refresh_token(loser.refresh.digest).has_value());
            EXPECT_FALSE(authorizations().find_access_token(loser.access.digest).has_value());
        }
    }
    EXPECT_EQ(count("sessions"), 20);
    EXPECT_EQ(count("access_tokens"), 20);
}

// Both present the same live token at the same `now`. The first to commit
// rotates it, so the second finds it spent at `now`. With grace_since <= now
// that is within the grace window and the winner's successor is still unused
// (nobody has seen it yet), so the loser is reissued: the winner's successor
// is deleted and the loser's is the one that stays.
TEST_P(GrantRaceConformance, ConcurrentRotationsWithinGraceRotateThenReissue) {
    for (bool separate : {false, true}) {
        for (int round = 0; round < 10; ++round) {
            Family family = start_family();
            core::RefreshToken successors[2] = {refresh_token(), refresh_token()};
            core::AccessToken accesses[2] = {session_access(), session_access()};
            Result<Rotation> results[2] = {Rotation::gone, Rotation::gone};
            race(separate, [&](core::GrantStore& store, int i) {
                results[i] = store.rotate_refresh_token(
                    family.refresh.id, clock_.now(), clock_.now() - 30, successors[i], accesses[i]);
            });
            ASSERT_TRUE(results[0].has_value()) << results[0].error().log_detail;
            ASSERT_TRUE(results[1].has_value()) << results[1].error().log_detail;
            std::vector<Rotation> outcomes = {*results[0], *results[1]};
            std::sort(outcomes.begin(), outcomes.end());
            ASSERT_EQ(outcomes, (std::vector<Rotation>{Rotation::rotated, Rotation::reissued}));
            int loser = *results[0] == Rotation::reissued ? 0 : 1;
            EXPECT_EQ(grants().find_refresh_token(family.refresh.digest)->successor_id,
                      successors[loser].id);
            EXPECT_TRUE(grants().find_refresh_token(successors[loser].digest).has_value());
            EXPECT_FALSE(grants().find_refresh_token(successors[1 - loser].digest).has_value());
            // The presented token and the loser's successor; the first access
            // token and both racers' (access tokens outlive a reissue).
            EXPECT_EQ(tokens_of(family.session), 2 + 3);
            EXPECT_TRUE(authorizations().find_access_token(accesses[0].digest).has_value());
            EXPECT_TRUE(authorizations().find_access_token(accesses[1].digest).has_value());
        }
    }
}

// As above, with no grace window at all (grace_since after `now`): the loser
// finds the token spent before grace_since, which is reuse, and the whole
// session dies, the winner's fresh tokens with it.
TEST_P(GrantRaceConformance, ConcurrentRotationsWithoutGraceRotateThenRevoke) {
    for (bool separate : {false, true}) {
        for (int round = 0; round < 10; ++round) {
            Family family = start_family();
            core::RefreshToken successors[2] = {refresh_token(), refresh_token()};
            core::AccessToken accesses[2] = {session_access(), session_access()};
            Result<Rotation> results[2] = {Rotation::gone, Rotation::gone};
            race(separate, [&](core::GrantStore& store, int i) {
                results[i] = store.rotate_refresh_token(
                    family.refresh.id, clock_.now(), clock_.now() + 1, successors[i], accesses[i]);
            });
            ASSERT_TRUE(results[0].has_value()) << results[0].error().log_detail;
            ASSERT_TRUE(results[1].has_value()) << results[1].error().log_detail;
            std::vector<Rotation> outcomes = {*results[0], *results[1]};
            std::sort(outcomes.begin(), outcomes.end());
            ASSERT_EQ(outcomes, (std::vector<Rotation>{Rotation::rotated, Rotation::reused}));
            expect_gone(family);
            for (const auto& successor : successors) {
                EXPECT_FALSE(grants().find_refresh_token(successor.digest).has_value());
            }
        }
    }
    EXPECT_EQ(count("sessions"), 0);
    EXPECT_EQ(count("access_tokens"), 0);
}

// A rotation of the successor races the grace reissue of its predecessor:
// either the successor was used first (the reissue finds it spent: reuse,
// the family dies) or the reissue deleted it first (its rotation finds it
// gone). Never both a reissue and a rotation.
TEST_P(GrantRaceConformance, UsingTheSuccessorRacesTheGraceReissueOfItsPredecessor) {
    for (bool separate : {false, true}) {
        for (int round = 0; round < 10; ++round) {
            Family family = start_family();
            core::RefreshToken successor = refresh_token();
            ASSERT_EQ(rotate(family.refresh.id, clock_.now(), successor, session_access()).value(),
                      Rotation::rotated);
            core::RefreshToken next[2] = {refresh_token(), refresh_token()};
            Result<Rotation> results[2] = {Rotation::gone, Rotation::gone};
            const Id presented[2] = {family.refresh.id, successor.id};
            race(separate, [&](core::GrantStore& store, int i) {
                results[i] = store.rotate_refresh_token(
                    presented[i], clock_.now(), clock_.now() - 30, next[i], session_access());
            });
            ASSERT_TRUE(results[0].has_value()) << results[0].error().log_detail;
            ASSERT_TRUE(results[1].has_value()) << results[1].error().log_detail;
            bool reissued_first =
                *results[0] == Rotation::reissued && *results[1] == Rotation::gone;
            bool used_first = *results[1] == Rotation::rotated && *results[0] == Rotation::reused;
            EXPECT_TRUE(reissued_first || used_first)
                << static_cast<int>(*results[0]) << " " << static_cast<int>(*results[1]);
            if (used_first) expect_gone(family);
            if (reissued_first) {
                EXPECT_TRUE(grants().find_refresh_token(next[0].digest).has_value());
                EXPECT_FALSE(grants().find_refresh_token(successor.digest).has_value());
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, GrantRaceConformance, kBackends, backend_name);

}  // namespace
}  // namespace tessera::store_conformance
