// Analyze mode: anomalies in one scrape and in time series, with evidence,
// and silence on healthy samples.
#include <catch2/catch.hpp>

#include "metric_roles.hpp"
#include "support.hpp"

using monitoring_test::spec;
using textkit::testing::parse_json;

namespace {

const char* healthy_scrape = R"(# HELP http_requests_total Requests served.
# TYPE http_requests_total counter
http_requests_total{code="200",handler="/pay"} 120000
http_requests_total{code="404",handler="/pay"} 300
http_requests_total{code="500",handler="/pay"} 20
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} 110000
http_request_duration_seconds_bucket{le="0.25"} 119900
http_request_duration_seconds_bucket{le="1"} 120320
http_request_duration_seconds_bucket{le="+Inf"} 120320
http_request_duration_seconds_sum 9000
http_request_duration_seconds_count 120320
# TYPE process_open_fds gauge
process_open_fds 120
# TYPE process_max_fds gauge
process_max_fds 1024
)";

const char* sick_scrape = R"(# TYPE http_requests_total counter
http_requests_total{code="200",handler="/pay"} 9000
http_requests_total{code="503",handler="/pay"} 800
http_requests_total{code="500",handler="/refund"} 200
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} 2000
http_request_duration_seconds_bucket{le="0.25"} 5000
http_request_duration_seconds_bucket{le="1"} 8000
http_request_duration_seconds_bucket{le="2.5"} 10000
http_request_duration_seconds_bucket{le="+Inf"} 10000
# TYPE hikaricp_connections_active gauge
hikaricp_connections_active{pool="main"} 20
# TYPE hikaricp_connections_max gauge
hikaricp_connections_max{pool="main"} 20
)";

const monitoring::Anomaly* find(const monitoring::Analysis& analysis, const std::string& type) {
    for (const auto& anomaly : analysis.anomalies)
        if (anomaly.type == type) return &anomaly;
    return nullptr;
}

// A range query result: `steps` points a minute apart from t0, each value
// given by f(step).
template <typename F>
std::string series_json(const std::string& labels, int steps, F f) {
    std::string out = R"({"metric":)" + labels + R"(,"values":[)";
    for (int i = 0; i < steps; ++i)
        out += (i ? "," : "") + std::string("[") + std::to_string(1796536800 + 60 * i) + ",\"" +
               monitoring::number_text(f(i)) + "\"]";
    return out + "]}";
}

}  // namespace

TEST_CASE("a healthy scrape has no anomaly", "[analyze]") {
    const auto analysis = monitoring::analyse_exposition(
        monitoring::parse_exposition(healthy_scrape, "context.metrics_sample"), spec(R"({"service":"pay"})"));
    CHECK(analysis.anomalies.empty());
    CHECK(analysis.series == 11);
    CHECK_THAT(analysis.summary, Catch::StartsWith("No anomaly"));
}

TEST_CASE("a sick scrape shows the error ratio, the latency and the exhausted pool with evidence", "[analyze]") {
    const auto analysis = monitoring::analyse_exposition(
        monitoring::parse_exposition(sick_scrape, "context.metrics_sample"), spec(R"({"service":"pay"})"));
    const auto* errors = find(analysis, "error_rate_spike");
    REQUIRE(errors != nullptr);
    CHECK(errors->severity == "critical");
    CHECK_THAT(errors->message, Catch::Contains("10%"));
    CHECK_THAT(errors->evidence[0], Catch::Contains("1000 failed of 10000"));
    CHECK_THAT(errors->evidence[1], Catch::Contains("line 3") && Catch::Contains("code=\"503\""));
    const auto* latency = find(analysis, "latency_regression");
    REQUIRE(latency != nullptr);
    CHECK(latency->metric == "http_request_duration_seconds");
    CHECK_THAT(latency->message, Catch::Contains("2.42s"));  // 1 + 1.5 * (9900 - 8000) / 2000
    const auto* pool = find(analysis, "saturation");
    REQUIRE(pool != nullptr);
    CHECK(pool->metric == "hikaricp_connections_active");
    CHECK_THAT(pool->message, Catch::Contains("100%") && Catch::Contains("hikaricp_connections_max"));
    CHECK(analysis.anomalies.front().severity == "critical");
}

TEST_CASE("a malformed scrape is refused naming the field and the line", "[analyze]") {
    CHECK_THROWS_WITH(monitoring::parse_exposition("up 1\nhttp_requests_total{code=200} 5\n", "context.metrics_sample"),
                      Catch::StartsWith("context.metrics_sample line 2"));
    CHECK_THROWS_WITH(monitoring::parse_exposition("up one\n", "context.metrics_sample"),
                      Catch::StartsWith("context.metrics_sample line 1"));
    CHECK_THROWS_WITH(monitoring::parse_exposition("# only comments\n", "context.metrics_sample"),
                      Catch::Contains("no samples"));
}

TEST_CASE("time series: an error spike is found at its onset with the failing series", "[analyze]") {
    // 500s go from 0.1% to 20% of traffic at step 40 of 60.
    const std::string data = "[" +
        series_json(R"({"__name__":"http_requests_total","job":"pay","code":"200"})", 60,
                    [](int i) { return i < 40 ? 999.0 * i : 999.0 * 40 + 800.0 * (i - 40); }) + "," +
        series_json(R"({"__name__":"http_requests_total","job":"pay","code":"500"})", 60,
                    [](int i) { return i < 40 ? 1.0 * i : 40.0 + 200.0 * (i - 40); }) + "]";
    const auto analysis = monitoring::analyse_series(monitoring::parse_series(parse_json(data), "context.series"),
                                                     spec(R"({"service":"pay"})"));
    REQUIRE(analysis.anomalies.size() == 1);
    const auto& spike = analysis.anomalies[0];
    CHECK(spike.type == "error_rate_spike");
    CHECK(spike.severity == "critical");
    CHECK_THAT(spike.message, Catch::Contains("0.1%") && Catch::Contains("20%"));
    // The onset is step 41, the first increase after the change.
    CHECK_THAT(spike.message, Catch::Contains(monitoring::timestamp(1796536800 + 60 * 41)));
    CHECK_THAT(spike.evidence.back(), Catch::Contains("code=\"500\""));
}

TEST_CASE("time series: latency regression and saturation, steady ones stay quiet", "[analyze]") {
    const std::string data = R"({"status":"success","data":{"resultType":"matrix","result":[)" +
        series_json(R"({"__name__":"rpc_latency_seconds","quantile":"0.99"})", 30,
                    [](int i) { return i < 20 ? 0.12 : 0.9; }) + "," +
        series_json(R"({"__name__":"process_open_fds"})", 30, [](int i) { return 100.0 + 30 * i; }) + "," +
        series_json(R"({"__name__":"process_max_fds"})", 30, [](int) { return 1000.0; }) + "," +
        series_json(R"({"__name__":"queue_depth"})", 30, [](int i) { return 10.0 + i % 3; }) + "]}}";
    const auto analysis = monitoring::analyse_series(monitoring::parse_series(parse_json(data), "context.series"),
                                                     spec(R"({"service":"rpc"})"));
    const auto* latency = find(analysis, "latency_regression");
    REQUIRE(latency != nullptr);
    CHECK(latency->severity == "critical");
    CHECK_THAT(latency->message, Catch::Contains("0.12s") && Catch::Contains("0.9s"));
    const auto* fds = find(analysis, "saturation");
    REQUIRE(fds != nullptr);
    CHECK_THAT(fds->message, Catch::Contains("process_max_fds"));
    CHECK(analysis.anomalies.size() == 2);
}

TEST_CASE("malformed series are refused naming the element", "[analyze]") {
    CHECK_THROWS_WITH(monitoring::parse_series(parse_json(R"([{"metric":{"job":"x"},"values":[[1,"1"]]}])"), "context.series"),
                      Catch::StartsWith("context.series[0].metric.__name__"));
    CHECK_THROWS_WITH(monitoring::parse_series(parse_json(R"([{"metric":{"__name__":"x"},"values":[[1,"1"],[2]]}])"),
                                               "context.series"),
                      Catch::StartsWith("context.series[0].values[1]"));
    CHECK_THROWS_WITH(monitoring::parse_series(parse_json(R"([{"metric":{"__name__":"x"},"values":[[2,"1"],[1,"2"]]}])"),
                                               "context.series"),
                      Catch::Contains("increasing time order"));
    CHECK_THROWS_WITH(monitoring::parse_series(parse_json(R"({"data":{}})"), "context.series"),
                      Catch::StartsWith("context.series"));
}
