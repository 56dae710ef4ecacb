// The incident fixtures: the right cause ranks first, with its evidence.
#include <catch2/catch.hpp>

#include "support.hpp"

using Catch::Contains;
using incident_test::analyse_fixture;

namespace {

bool any_contains(const std::vector<std::string>& lines, const std::string& text) {
    for (const auto& line : lines)
        if (line.find(text) != std::string::npos) return true;
    return false;
}

std::size_t rank_of(const incident::Analysis& analysis, const std::string& cause) {
    for (std::size_t i = 0; i < analysis.hypotheses.size(); ++i)
        if (analysis.hypotheses[i].cause == cause) return i + 1;
    return 0;
}

std::string ranking(const incident::Analysis& analysis) {
    std::string out;
    for (const auto& h : analysis.hypotheses) out += h.cause + " " + std::to_string(h.score) + " | " + h.title + "\n";
    return out;
}

}  // namespace

TEST_CASE("a bad deploy raising 5xx: the deploy ranks first", "[fixtures]") {
    const auto analysis = analyse_fixture("bad_deploy");
    INFO(ranking(analysis));
    REQUIRE(!analysis.hypotheses.empty());
    const auto& top = analysis.hypotheses.front();
    CHECK(top.cause == "bad_change");
    CHECK(top.service == "checkout");
    CHECK(top.version == "v2.14.0");
    CHECK(any_contains(top.evidence, "Deploy checkout v2.14.0"));
    CHECK(any_contains(top.evidence, "NullPointerException"));
    CHECK(top.action == "rollback");
    CHECK_THAT(top.remediation.front(), Contains("Roll back checkout to the release before v2.14.0"));
    // The first error comes after the deploy, and the burst starts there.
    REQUIRE(analysis.first_error);
    CHECK(analysis.first_error->time >= *incident::parse_time("2026-12-06T14:21:05Z"));
    CHECK(analysis.burst.start == Approx(analysis.first_error->time));
    CHECK(analysis.burst.errors > 100);
    // The unrelated config change of search an hour earlier is correlated
    // but ranks below the deploy; the exception is the runner-up evidence.
    REQUIRE(analysis.correlated_changes.size() == 2);
    CHECK(rank_of(analysis, "application_exception") > 1);
    CHECK(analysis.hypotheses[1].score < top.score);
    for (const auto& h : analysis.hypotheses)
        if (h.cause == "bad_change" && h.service == "search") CHECK(h.score < 0.5 * top.score);
}

TEST_CASE("connection pool exhaustion ranks first; an old deploy is not blamed", "[fixtures]") {
    const auto analysis = analyse_fixture("pool_exhaustion");
    INFO(ranking(analysis));
    REQUIRE(!analysis.hypotheses.empty());
    const auto& top = analysis.hypotheses.front();
    CHECK(top.cause == "connection_pool_exhaustion");
    CHECK(top.service == "orders");
    CHECK(any_contains(top.evidence, "HikariPool-1 - Connection is not available, request timed out after 30000ms"));
    CHECK(any_contains(top.evidence, "Connection is not available, request timed out after <*>\""));
    CHECK(analysis.correlated_changes.empty());  // the 10:55 deploy is hours before
    CHECK(rank_of(analysis, "bad_change") == 0);
    // The timeouts and 503s it causes rank below it.
    CHECK(rank_of(analysis, "server_errors") > 1);
}

TEST_CASE("an expired certificate ranks first; a flag flip elsewhere does not", "[fixtures]") {
    const auto analysis = analyse_fixture("certificate_expiry");
    INFO(ranking(analysis));
    REQUIRE(!analysis.hypotheses.empty());
    const auto& top = analysis.hypotheses.front();
    CHECK(top.cause == "certificate_expiry");
    CHECK(any_contains(top.evidence, "x509: certificate has expired or is not yet valid"));
    CHECK(top.action == "renew_certificate");
    REQUIRE(analysis.first_error);
    CHECK_THAT(analysis.first_error->raw, Contains("x509"));
    CHECK(analysis.first_error->time >= *incident::parse_time("2026-12-06T00:00:07Z"));
    CHECK(rank_of(analysis, "bad_change") > 1);
}

TEST_CASE("a noisy but harmless warning is not ranked first", "[fixtures]") {
    const auto analysis = analyse_fixture("noisy_warning");
    INFO(ranking(analysis));
    REQUIRE(analysis.hypotheses.size() >= 2);
    // The GC warning is the loudest template by far…
    CHECK_THAT(analysis.clusters.front().template_text(), Contains("GC pause of"));
    // …but the disk is what broke.
    CHECK(analysis.hypotheses.front().cause == "disk_full");
    CHECK(any_contains(analysis.hypotheses.front().evidence, "No space left on device"));
    const std::size_t warning = rank_of(analysis, "warning");
    REQUIRE(warning > 1);
    CHECK(analysis.hypotheses[warning - 1].score < 0.25 * analysis.hypotheses.front().score);
}

TEST_CASE("the timeline and the postmortem tell the story in order", "[fixtures]") {
    const auto input = incident::read_input(incident_test::fixture("bad_deploy"));
    const auto analysis = incident::analyse(input);
    for (std::size_t i = 1; i < analysis.timeline.size(); ++i)
        CHECK(analysis.timeline[i - 1].time <= analysis.timeline[i].time);
    std::vector<std::string> kinds;
    for (const auto& entry : analysis.timeline) kinds.push_back(entry.kind);
    const auto position = [&kinds](const std::string& kind) {
        return std::find(kinds.begin(), kinds.end(), kind) - kinds.begin();
    };
    CHECK(position("change") < position("first_error"));
    CHECK(position("first_error") <= position("burst_start"));
    const std::string md = incident::postmortem_markdown(analysis, input, "Checkout 5xx after v2.14.0");
    for (const char* section : {"# Postmortem: Checkout 5xx after v2.14.0", "## Summary", "## Impact", "## Timeline (UTC)",
                                "## Root cause (most likely)", "## Log templates", "## Action items"})
        CHECK_THAT(md, Contains(section));
    CHECK_THAT(md, Contains("Roll back checkout"));
    CHECK_THAT(md, Contains("| 2026-12-06T14:20:00Z | change | Deploy checkout v2.14.0"));
}

TEST_CASE("the window keeps only its lines", "[input]") {
    const auto input = incident_test::input_of(R"({"logs":"2026-12-06T10:00:00Z ERROR early\n2026-12-06T11:00:00Z ERROR inside\nno time at all\n2026-12-06T12:30:00Z ERROR late\n",
        "window":{"start":"2026-12-06T10:30:00Z","end":"2026-12-06T12:00:00Z"}})");
    REQUIRE(input.events.size() == 2);
    CHECK(input.events[0].message == "inside");
    CHECK(input.lines_outside_window == 2);
}

TEST_CASE("bad input is refused naming the field", "[input]") {
    const std::pair<const char*, const char*> cases[] = {
        {R"({})", "context.logs"},
        {R"({"logs":42})", "context.logs"},
        {R"({"logs":"\n\n"})", "context.logs"},
        {R"({"logs":["ok",7]})", "context.logs[1]"},
        {R"({"logs":"x","changes":{}})", "context.changes"},
        {R"({"logs":"x","changes":[{"type":"deploy"}]})", "context.changes[0].time"},
        {R"({"logs":"x","changes":[{"time":"yesterday"}]})", "context.changes[0].time"},
        {R"({"logs":"x","metrics":[{"time":"2026-12-06T10:00:00Z","name":"rps","value":"high"}]})", "context.metrics[0].value"},
        {R"({"logs":"x","window":{"start":"soon"}})", "context.window.start"},
        {R"({"logs":"x","window":{"start":"2026-12-06T12:00:00Z","end":"2026-12-06T10:00:00Z"}})", "context.window.start"}};
    for (const auto& [context, field] : cases) {
        INFO(context);
        CHECK_THROWS_WITH(incident_test::input_of(context), Catch::StartsWith(field));
    }
}

TEST_CASE("pods in CrashLoopBackOff or failing to pull their image are recognised, with a rollback", "[causes]") {
    // An outsider's: "CrashLoopBackOff since rollout" was an error of an
    // unrecognised kind, and nothing was proposed.
    const auto crash = incident::analyse(incident_test::input_of(
        R"({"logs":["2026-12-07T10:00:00Z error orders pod orders-7d9 CrashLoopBackOff since rollout",)"
        R"("2026-12-07T10:00:30Z error orders Back-off restarting failed container orders in pod orders-7d9"]})"));
    INFO(ranking(crash));
    REQUIRE(!crash.hypotheses.empty());
    CHECK(crash.hypotheses.front().cause == "crash_loop");
    CHECK(crash.hypotheses.front().action == "rollback");
    CHECK(rank_of(crash, "unclassified_error") == 0);
    const auto pull = incident::analyse(incident_test::input_of(
        R"({"logs":["2026-12-07T10:00:00Z error web Failed to pull image \"ghcr.io/acme/web:1.9.9\": manifest unknown",)"
        R"("2026-12-07T10:00:20Z error web pod web-5f4 ImagePullBackOff"]})"));
    INFO(ranking(pull));
    REQUIRE(!pull.hypotheses.empty());
    CHECK(pull.hypotheses.front().cause == "image_pull");
}
