// The pieces of log source pulling that need no host: the SigV4 signer
// against AWS's published examples, the line filter, and the file reader's
// offsets through appends, a partial line, truncation and rotation.
#include "signals/aws_sigv4.hpp"
#include "signals/line_signals.hpp"
#include "signals/log_source.hpp"
#include "signals/source_answers.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace agenthost::signals;

namespace {

const AwsCredentials kExampleKeys{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

std::string temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "logpull-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

void append(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::app) << text; }

std::vector<std::string> texts(const PullBatch& batch) {
    std::vector<std::string> out;
    for (const auto& line : batch.lines) out.push_back(line.text);
    return out;
}

LogSourceConfig file_source(const std::string& path, const std::string& start_at = "beginning") {
    LogSourceConfig source;
    source.id = "src-1";
    source.name = "app-log";
    source.type = "file";
    source.service = "checkout";
    source.path = path;
    source.start_at = start_at;
    return source;
}

}  // namespace

TEST_CASE("sigv4: AWS's documented IAM ListUsers example signs to its published signature") {
    // docs.aws.amazon.com "Create a signed AWS API request" example values.
    SigV4Request request;
    request.method = "GET";
    request.path = "/";
    request.query = "Version=2010-05-08&Action=ListUsers";  // sorted for signing
    request.headers = {{"Host", "iam.amazonaws.com"},
                       {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                       {"X-Amz-Date", "20150830T123600Z"}};
    request.region = "us-east-1";
    request.service = "iam";
    request.amz_date = "20150830T123600Z";
    SigV4Result result = sign_v4(request, kExampleKeys);
    CHECK(result.canonical_request ==
          "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
          "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
          "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex(result.canonical_request) == "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    CHECK(result.string_to_sign ==
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
          "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    CHECK(result.signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    CHECK(result.authorization ==
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
          "SignedHeaders=content-type;host;x-amz-date, "
          "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    // The derived key of the same example.
    std::string key = hmac_sha256("AWS4" + kExampleKeys.secret_access_key, "20150830");
    key = hmac_sha256(hmac_sha256(hmac_sha256(key, "us-east-1"), "iam"), "aws4_request");
    CHECK(hex_of(key) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST_CASE("sigv4: the AWS test suite's get-vanilla and get-vanilla-query-order-key-case") {
    SigV4Request request;
    request.method = "GET";
    request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
    request.region = "us-east-1";
    request.service = "service";
    request.amz_date = "20150830T123600Z";
    CHECK(sign_v4(request, kExampleKeys).authorization ==
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
          "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    request.query = "Param2=value2&Param1=value1";
    CHECK(sign_v4(request, kExampleKeys).signature ==
          "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    CHECK(amz_date(1440938160000LL) == "20150830T123600Z");
}

TEST_CASE("log lines: the filter keeps error-looking lines, JSON lines by their level") {
    LogSourceConfig source = file_source("/x");
    LineFilter filter(kDefaultLineFilter);
    CHECK_FALSE(filter.signal_of(source, {"INFO request served in 12ms", 0, "{}"}));
    auto error = filter.signal_of(source, {"2026-12-07 ERROR payment 4411 failed: timeout", 0, "{}"});
    REQUIRE(error);
    CHECK(error->severity == "error");
    CHECK(error->service == "checkout");
    CHECK(error->may_open_incident);
    CHECK(error->kind == "log");
    CHECK(filter.signal_of(source, {"goroutine 1 [running]: panic: nil map", 0, "{}"})->severity == "critical");
    CHECK(filter.signal_of(source, {"java.lang.NullPointerException at Foo.bar", 0, "{}"}));
    // A JSON line's level decides; its message is the signal's.
    auto json = filter.signal_of(source, {R"({"level":"error","msg":"db down","req":7})", 0, "{}"});
    REQUIRE(json);
    CHECK(json->message == "db down");
    CHECK_FALSE(filter.signal_of(source, {R"({"level":"info","msg":"ERROR budget fine"})", 0, "{}"}));
    // A source's own filter.
    LineFilter own("timeout|refused");
    CHECK(own.signal_of(source, {"upstream connect refused", 0, "{}"}));
    CHECK_FALSE(own.signal_of(source, {"ERROR something else", 0, "{}"}));
    CHECK_FALSE(check_line_filter("(unclosed").empty());
    CHECK(check_line_filter("a|b").empty());
    // Matching is bounded, so a huge line neither crashes nor hangs.
    CHECK(filter.signal_of(source, {"ERROR " + std::string(1 << 20, 'x'), 0, "{}"}));
}

TEST_CASE("file source: reads from its offset, waits for a partial line, restarts after truncation") {
    std::string dir = temp_dir();
    std::string path = dir + "/app.log";
    append(path, "one\ntwo\n");
    PullSettings settings;
    settings.file_roots = {dir};
    PullBatch first = pull_file(file_source(path), "", settings);
    CHECK(texts(first) == std::vector<std::string>{"one", "two"});
    append(path, "three\nfour-partial");
    PullBatch second = pull_file(file_source(path), first.cursor_json, settings);
    CHECK(texts(second) == std::vector<std::string>{"three"});
    append(path, "-done\n");
    PullBatch third = pull_file(file_source(path), second.cursor_json, settings);
    CHECK(texts(third) == std::vector<std::string>{"four-partial-done"});
    CHECK(pull_file(file_source(path), third.cursor_json, settings).lines.empty());
    // copytruncate: shorter than the offset, read from the start.
    std::ofstream(path, std::ios::trunc) << "fresh\n";
    CHECK(texts(pull_file(file_source(path), third.cursor_json, settings)) == std::vector<std::string>{"fresh"});
    // start_at end: only what comes after the first pull.
    PullBatch tail = pull_file(file_source(path, "end"), "", settings);
    CHECK(tail.lines.empty());
    append(path, "later\n");
    CHECK(texts(pull_file(file_source(path, "end"), tail.cursor_json, settings)) == std::vector<std::string>{"later"});
    std::filesystem::remove_all(dir);
}

TEST_CASE("file source: after a rotation the rest of <path>.1 comes first, then the new file") {
    std::string dir = temp_dir();
    std::string path = dir + "/app.log";
    append(path, "a1\n");
    PullSettings settings;
    settings.file_roots = {dir};
    PullBatch first = pull_file(file_source(path), "", settings);
    CHECK(texts(first) == std::vector<std::string>{"a1"});
    append(path, "a2\na3-last");  // written before the rotation, not yet read
    std::filesystem::rename(path, path + ".1");
    append(path, "b1\n");
    PullBatch rest = pull_file(file_source(path), first.cursor_json, settings);
    CHECK(texts(rest) == std::vector<std::string>{"a2", "a3-last"});
    CHECK(rest.more);
    PullBatch fresh = pull_file(file_source(path), rest.cursor_json, settings);
    CHECK(texts(fresh) == std::vector<std::string>{"b1"});
    std::filesystem::remove_all(dir);
}

TEST_CASE("file source: only under signals.pull.file_roots, links resolved") {
    std::string dir = temp_dir();
    std::string other = temp_dir();
    append(other + "/secret.log", "ERROR x\n");
    std::filesystem::create_symlink(other + "/secret.log", dir + "/link.log");
    PullSettings settings;
    CHECK_THROWS_WITH(pull_file(file_source(dir + "/link.log"), "", settings),
                      Catch::Matchers::Contains("signals.pull.file_roots"));
    settings.file_roots = {dir};
    CHECK_THROWS_WITH(pull_file(file_source(dir + "/link.log"), "", settings),
                      Catch::Matchers::Contains("not under signals.pull.file_roots"));
    CHECK_THROWS_WITH(pull_file(file_source(dir + "/missing.log"), "", settings), Catch::Matchers::Contains("cannot open"));
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(other);
}

TEST_CASE("log lines: complete lines leave a partial last line unless told") {
    size_t consumed = 0;
    CHECK(complete_lines("a\r\nb\nc", false, consumed) == std::vector<std::string>{"a", "b"});
    CHECK(consumed == 5);
    CHECK(complete_lines("a\nc", true, consumed) == std::vector<std::string>{"a", "c"});
    CHECK(consumed == 3);
}

TEST_CASE("loki answer: entries after the cursor with their stream's labels; a malformed answer is a pull error") {
    auto entries = read_loki_answer(
        R"({"status":"success","data":{"result":[{"stream":{"app":"web"},"values":[["100","old"],["101","new"]]}]}})",
        100);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].ns == 101);
    CHECK(entries[0].line == "new");
    CHECK(entries[0].labels_json == R"({"app":"web"})");
    CHECK_THROWS_AS(read_loki_answer(R"({"status":"success","data":{"result":[{"values":[["12x","a"]]}]}})", 0),
                    PullError);
    CHECK_THROWS_AS(read_loki_answer(R"({"status":"error"})", 0), PullError);
    CHECK_THROWS_AS(read_loki_answer("<html>", 0), PullError);
}

TEST_CASE("cloudwatch page: events and the next token; a malformed page is a pull error") {
    auto page = read_cloudwatch_page(
        R"({"events":[{"timestamp":5,"eventId":"a","message":"ERROR x","logStreamName":"s"},7],"nextToken":"t"})");
    REQUIRE(page.events.size() == 1);
    CHECK(page.events[0].time_ms == 5);
    CHECK(page.events[0].id == "a");
    CHECK(page.events[0].message == "ERROR x");
    CHECK(page.next_token == "t");
    CHECK(read_cloudwatch_page(R"({"events":[]})").next_token.empty());
    CHECK_THROWS_AS(read_cloudwatch_page(R"({"events":{}})"), PullError);
    CHECK_THROWS_AS(read_cloudwatch_page("[]"), PullError);
}
