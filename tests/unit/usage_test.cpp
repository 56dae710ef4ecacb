// UTC days for the usage rollups and quotas, GET /usage's parameters, and
// the JWKS URL cache (with a fake fetch: refetch on a kid miss, rate
// limited; a failed fetch keeps the last good keys).
#include "auth/jwks_source.hpp"
#include "auth/route_access.hpp"
#include "http/router.hpp"
#include "jwt_factory.hpp"
#include "usage/usage_report.hpp"
#include "util/utc_calendar.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <thread>

using namespace agenthost;
using Catch::Matchers::Contains;

TEST_CASE("UTC days: dates, parsing, the next midnight and the next month", "[usage]") {
    CHECK(utc_day(0) == "1970-01-01");
    CHECK(utc_day(1765065599999LL) == "2025-12-06");  // 23:59:59.999
    CHECK(utc_day(1765065600000LL) == "2025-12-07");
    CHECK(parse_day("2024-02-29").has_value());
    CHECK_FALSE(parse_day("2025-02-29").has_value());
    CHECK_FALSE(parse_day("2025-13-01").has_value());
    CHECK_FALSE(parse_day("2025-1-01").has_value());
    CHECK_FALSE(parse_day("2025-01-01x").has_value());
    CHECK_FALSE(parse_day("").has_value());
    CHECK(*parse_day("1970-01-02") == 1);
    CHECK(day_from_number(*parse_day("2026-12-06")) == "2026-12-06");
    CHECK(month_start("2026-12-06") == "2026-12-01");
    CHECK(next_midnight_ms(1765065599999LL) == 1765065600000LL);
    CHECK(next_midnight_ms(1765065600000LL) == 1765065600000LL + 86400000LL);
    CHECK(utc_day(next_month_ms(1765065600000LL)) == "2026-01-01");       // December -> January
    CHECK(utc_day(next_month_ms(*parse_day("2024-02-10") * 86400000LL)) == "2024-03-01");
}

TEST_CASE("GET /usage's parameters: defaults, and each bad one named", "[usage]") {
    long long now = *parse_day("2026-12-06") * 86400000LL + 3600000;
    auto request = usage::parse_usage_request("", "", "", now);
    CHECK(request.from == "2026-12-01");
    CHECK(request.to == "2026-12-06");
    CHECK(request.group_by == usage::GroupBy::day);
    request = usage::parse_usage_request("2026-01-01", "2026-12-31", "tenant", now);
    CHECK(request.group_by == usage::GroupBy::tenant);
    CHECK(usage::parse_usage_request("", "2026-03-15", "key", now).from == "2026-03-01");
    auto named = [&](const std::string& from, const std::string& to, const std::string& group_by) {
        try {
            usage::parse_usage_request(from, to, group_by, now);
        } catch (const usage::BadUsageParameter& e) {
            return e.parameter;
        }
        return std::string("none");
    };
    CHECK(named("2026-12-32", "", "") == "from");
    CHECK(named("", "tomorrow", "") == "to");
    CHECK(named("", "", "month") == "group_by");
    CHECK(named("2026-12-07", "2026-12-06", "") == "from");
    CHECK(named("2025-12-05", "2026-12-06", "") == "from");  // 367 days
    CHECK(named("2025-12-06", "2026-12-06", "") == "none");  // 366 days, both ends included
}

TEST_CASE("JWKS URL cache: a kid miss refetches at most once per interval; a failed fetch keeps the keys",
          "[auth][jwks]") {
    auto first = testing::rsa_key("k1");
    auto second = testing::rsa_key("k2");
    std::string document = R"({"keys":[)" + first.jwk + "]}";
    bool failing = false;
    int fetches = 0;
    auth::JwksSource source("https://idp.example/jwks", std::chrono::hours(1), std::chrono::milliseconds(200),
                            [&](const std::string& url) {
                                CHECK(url == "https://idp.example/jwks");
                                ++fetches;
                                if (failing) throw std::runtime_error("connection refused");
                                return document;
                            });
    source.start();
    CHECK(fetches == 1);
    CHECK(source.keys()->count("k1") == 1);
    CHECK(source.keys()->at("k1").alg == "RS256");

    document = R"({"keys":[)" + first.jwk + "," + second.jwk + "]}";
    CHECK(source.refetch_for("k2")->count("k2") == 0);  // too soon after the start's fetch
    CHECK(fetches == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    CHECK(source.refetch_for("k2")->count("k2") == 1);
    CHECK(fetches == 2);
    CHECK(source.refetch_for("k2")->count("k2") == 1);  // known now: no fetch
    CHECK(source.refetch_for("k9")->count("k9") == 0);  // unknown, too soon
    CHECK(fetches == 2);

    failing = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    auto kept = source.refetch_for("k9");
    CHECK(fetches == 3);
    CHECK(source.failures() == 1);
    CHECK(kept->count("k1") == 1);
    CHECK(kept->count("k2") == 1);
    source.stop();
}

TEST_CASE("quotas count the calls that create runs, and nothing else", "[usage][quota]") {
    auto creates = [](const char* method, const std::string& path) {
        return auth::route_access(method, http::split_path(path)).creates_runs;
    };
    for (const char* path : {"/agent/invoke", "/agent/stream", "/runs", "/api/v1/process", "/agents/orchestrate",
                             "/workflows", "/pipelines", "/webhook/receive", "/thread/t1/agent/start",
                             "/threads/t1/agent/start", "/runs/wait", "/runs/stream", "/threads/t1/runs/stream"})
        CHECK(creates("POST", path));
    CHECK(creates("GET", "/agent/stream"));  // EventSource starts a run with a GET
    CHECK_FALSE(creates("GET", "/runs"));
    CHECK_FALSE(creates("POST", "/runs/abc/cancel"));
    CHECK_FALSE(creates("POST", "/agent-run/abc/stop"));
    CHECK_FALSE(creates("POST", "/workflow/approve/t1"));
    CHECK_FALSE(creates("POST", "/threads/t1/runs/r1/resume"));
    CHECK_FALSE(creates("POST", "/webhook/callback/test"));
    CHECK_FALSE(creates("POST", "/api/v1/webhook/retry/r1"));
    CHECK_FALSE(creates("POST", "/admin/keys"));
    CHECK_FALSE(creates("POST", "/no/such/route"));
}
