#include "net/ssrf_guard.hpp"

#include <catch2/catch.hpp>

#include <netdb.h>
#include <sys/socket.h>

#include <memory>

using namespace agenthost::net;
using Catch::Matchers::Contains;

// Every test uses IP literals or names from /etc/hosts: none needs DNS or
// the internet.

namespace {

// Classifies a numeric address (no brackets) straight through classify().
AddressClass class_of(const std::string& ip) {
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* found = nullptr;
    REQUIRE(getaddrinfo(ip.c_str(), nullptr, &hints, &found) == 0);
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
    return classify(found->ai_addr);
}

// Classifies through the whole guard, to check the URL path agrees.
GuardDecision check(const std::string& host) { return check_webhook_url("http://" + host + "/hook", {}); }

UrlParts parse(const std::string& url) {
    std::string error;
    auto parts = parse_http_url(url, error);
    INFO(url << ": " << error);
    REQUIRE(parts);
    return *parts;
}

std::string parse_error(const std::string& url) {
    std::string error;
    CHECK_FALSE(parse_http_url(url, error));
    return error;
}

}  // namespace

TEST_CASE("classify names every address class in both families") {
    struct Case {
        const char* ip;
        AddressClass expected;
    };
    const Case cases[] = {
        {"127.0.0.1", AddressClass::loopback},
        {"127.9.9.9", AddressClass::loopback},
        {"::1", AddressClass::loopback},
        {"10.1.2.3", AddressClass::private_network},
        {"172.16.0.1", AddressClass::private_network},
        {"172.31.255.255", AddressClass::private_network},
        {"172.32.0.1", AddressClass::public_address},
        {"172.15.255.255", AddressClass::public_address},
        {"192.168.1.1", AddressClass::private_network},
        {"100.64.0.1", AddressClass::private_network},
        {"100.127.255.255", AddressClass::private_network},
        {"100.128.0.1", AddressClass::public_address},
        {"fc00::1", AddressClass::private_network},
        {"fdff::1", AddressClass::private_network},
        {"169.254.1.1", AddressClass::link_local},
        {"fe80::1", AddressClass::link_local},
        {"febf::1", AddressClass::link_local},
        {"169.254.169.254", AddressClass::metadata},
        {"fd00:ec2::254", AddressClass::metadata},
        {"0.0.0.0", AddressClass::unspecified},
        {"0.1.2.3", AddressClass::unspecified},
        {"::", AddressClass::unspecified},
        {"224.0.0.1", AddressClass::multicast},
        {"239.255.255.255", AddressClass::multicast},
        {"ff02::1", AddressClass::multicast},
        {"240.0.0.1", AddressClass::reserved},
        {"255.255.255.255", AddressClass::reserved},
        {"::ffff:127.0.0.1", AddressClass::loopback},
        {"::ffff:169.254.169.254", AddressClass::metadata},
        {"::ffff:10.0.0.1", AddressClass::private_network},
        {"::ffff:8.8.8.8", AddressClass::public_address},
        {"64:ff9b::127.0.0.1", AddressClass::loopback},
        {"::127.0.0.1", AddressClass::reserved},
        {"8.8.8.8", AddressClass::public_address},
        {"2001:4860:4860::8888", AddressClass::public_address},
    };
    for (const auto& c : cases) {
        INFO(c.ip);
        CHECK(class_of(c.ip) == c.expected);
    }
    CHECK(classify(nullptr) == AddressClass::reserved);
}

TEST_CASE("check_webhook_url refuses every non-public literal and names the class") {
    struct Case {
        const char* host;
        const char* kind;
    };
    const Case cases[] = {
        {"127.0.0.1", "a loopback address"},
        {"127.9.9.9", "a loopback address"},
        {"[::1]", "a loopback address"},
        {"10.1.2.3", "a private network address"},
        {"172.16.0.1", "a private network address"},
        {"172.31.255.255", "a private network address"},
        {"192.168.1.1", "a private network address"},
        {"100.64.0.1", "a private network address"},
        {"[fc00::1]", "a private network address"},
        {"169.254.1.1", "a link-local address"},
        {"[fe80::1]", "a link-local address"},
        {"169.254.169.254", "a cloud metadata address"},
        {"[fd00:ec2::254]", "a cloud metadata address"},
        {"0.0.0.0", "an unspecified address"},
        {"[::]", "an unspecified address"},
        {"224.0.0.1", "a multicast address"},
        {"[ff02::1]", "a multicast address"},
        {"240.0.0.1", "a reserved address"},
        {"[::ffff:127.0.0.1]", "a loopback address"},
        // Non-dotted IPv4 forms resolve like inet_aton reads them.
        {"127.1", "a loopback address"},
        {"2130706433", "a loopback address"},
        {"0x7f.0.0.1", "a loopback address"},
    };
    for (const auto& c : cases) {
        INFO(c.host);
        GuardDecision decision = check(c.host);
        CHECK_FALSE(decision.allowed);
        CHECK_THAT(decision.reason, Contains(c.kind));
        CHECK_THAT(decision.reason, Contains("webhooks.allowed_hosts"));
        CHECK(decision.resolved_ip.empty());
    }
    GuardDecision loopback = check("127.0.0.1");
    CHECK(loopback.reason ==
          "webhook_url resolves to 127.0.0.1, a loopback address; allow the host in webhooks.allowed_hosts to "
          "permit it");
    CHECK(loopback.host == "127.0.0.1");
    CHECK(loopback.port == 80);
}

TEST_CASE("check_webhook_url allows public literals and pins their address") {
    GuardDecision v4 = check_webhook_url("https://8.8.8.8/hook", {});
    CHECK(v4.allowed);
    CHECK(v4.reason.empty());
    CHECK(v4.resolved_ip == "8.8.8.8");
    CHECK(v4.port == 443);
    CHECK(check("172.32.0.1").allowed);

    GuardDecision v6 = check_webhook_url("http://[2001:4860:4860::8888]:8443/hook", {});
    CHECK(v6.allowed);
    CHECK(v6.resolved_ip == "2001:4860:4860::8888");
    CHECK(v6.host == "2001:4860:4860::8888");
    CHECK(v6.port == 8443);
}

TEST_CASE("localhost is refused unless allowed, and allowed_hosts lets named hosts through") {
    GuardDecision refused = check_webhook_url("http://localhost:8080/hook", {});
    CHECK_FALSE(refused.allowed);
    CHECK_THAT(refused.reason, Contains("a loopback address"));

    GuardDecision by_name = check_webhook_url("http://LocalHost:8080/hook", {"localhost"});
    CHECK(by_name.allowed);
    CHECK(by_name.host == "localhost");
    CHECK(by_name.port == 8080);
    CHECK_THAT(by_name.resolved_ip, Contains("127.0.0.1") || Contains("::1"));

    GuardDecision by_ip = check_webhook_url("http://127.0.0.1:9000/hook", {"example.com", "127.0.0.1"});
    CHECK(by_ip.allowed);
    CHECK(by_ip.resolved_ip == "127.0.0.1");

    CHECK(check_webhook_url("http://[::1]/hook", {"[::1]"}).allowed);
    CHECK(check_webhook_url("http://[::1]/hook", {"::1"}).allowed);
    // Exact match only: allowing one name does not allow another of its forms.
    CHECK_FALSE(check_webhook_url("http://127.1/hook", {"127.0.0.1"}).allowed);
    CHECK_FALSE(check_webhook_url("http://localhost/hook", {"localhost."}).allowed);
}

TEST_CASE("an unresolvable host is refused with a reason") {
    // A 64-character label cannot be put in a DNS query, so glibc fails
    // without asking any server: no network, no timeout.
    std::string host = std::string(64, 'a') + ".example";
    GuardDecision decision = check_webhook_url("https://" + host + "/hook", {});
    CHECK_FALSE(decision.allowed);
    CHECK_THAT(decision.reason, Contains("does not resolve"));
    CHECK_THAT(decision.reason, Contains(host));

    // A trusted host that does not resolve now is left to the HTTP client.
    GuardDecision trusted = check_webhook_url("https://" + host + "/hook", {host});
    CHECK(trusted.allowed);
    CHECK(trusted.resolved_ip.empty());
}

TEST_CASE("parse_http_url accepts http and https only") {
    CHECK_THAT(parse_error("ftp://example.com/x"), Contains("http or https"));
    CHECK_THAT(parse_error("file:///etc/passwd"), Contains("http or https"));
    CHECK_THAT(parse_error("gopher://example.com:70/_x"), Contains("http or https"));
    CHECK_THAT(parse_error("example.com/hook"), Contains("http://"));
    CHECK_THAT(parse_error("http:/example.com"), Contains("http://"));

    UrlParts parts = parse("HTTP://Example.com");
    CHECK(parts.scheme == "http");
    CHECK(parts.host == "example.com");
    CHECK(parts.port == 80);
    CHECK(parts.port_text.empty());
    CHECK(parts.path_and_query == "/");

    parts = parse("hTTpS://example.com/a/b?x=1&y=2#frag");
    CHECK(parts.scheme == "https");
    CHECK(parts.port == 443);
    CHECK(parts.path_and_query == "/a/b?x=1&y=2");
    CHECK(parse("http://example.com?x=1").path_and_query == "/?x=1");
    CHECK(parse("http://example.com#frag").path_and_query == "/");

    // Through the guard as well: refused before any resolution.
    GuardDecision decision = check_webhook_url("file:///etc/passwd", {"localhost"});
    CHECK_FALSE(decision.allowed);
    CHECK_THAT(decision.reason, Contains("webhook_url"));
}

TEST_CASE("parse_http_url refuses userinfo, whitespace, control characters and odd hosts") {
    CHECK_THAT(parse_error("http://user:pass@example.com/"), Contains("user name or password"));
    CHECK_THAT(parse_error("http://user@example.com/"), Contains("user name or password"));
    CHECK_THAT(parse_error("http://example.com@127.0.0.1/"), Contains("user name or password"));
    CHECK_THAT(parse_error("http://@example.com/"), Contains("user name or password"));
    CHECK_THAT(parse_error("http://exa mple.com/"), Contains("whitespace"));
    CHECK_THAT(parse_error(" http://example.com/"), Contains("whitespace"));
    CHECK_THAT(parse_error("http://example.com/a b"), Contains("whitespace"));
    CHECK_THAT(parse_error("http://example.com/\t"), Contains("whitespace"));
    CHECK_THAT(parse_error("http://example.com\r\nHost: x/"), Contains("control character"));
    CHECK_THAT(parse_error(std::string("http://example.com\0.evil/", 25)), Contains("control character"));
    CHECK_THAT(parse_error("http://example.com\x7f/"), Contains("control character"));
    CHECK_THAT(parse_error("http:///path"), Contains("no host"));
    CHECK_THAT(parse_error("http://"), Contains("no host"));
    CHECK_THAT(parse_error("http://:80/"), Contains("no host"));
    CHECK_THAT(parse_error("http://[]/"), Contains("IPv6"));
    CHECK_THAT(parse_error("http://[::1/"), Contains("unterminated"));
    CHECK_THAT(parse_error("http://[::1]x/"), Contains("after"));
    CHECK_THAT(parse_error("http://[fe80::1%25eth0]/"), Contains("IPv6"));
    CHECK_THAT(parse_error("http://[127.0.0.1]/"), Contains("IPv6"));
    CHECK_THAT(parse_error("http://evil.com\\@127.0.0.1/"), Contains("user name or password"));
    CHECK_THAT(parse_error("http://evil.com\\.127.0.0.1/"), Contains("host contains"));
    CHECK_THAT(parse_error("http://127.0.0.1%2f/"), Contains("host contains"));
    CHECK_THAT(parse_error("http://ex\xc3\xa4mple.com/"), Contains("host contains"));
    CHECK_THAT(parse_error("http://" + std::string(254, 'a') + "/"), Contains("253"));
}

TEST_CASE("parse_http_url reads ports and IPv6 literals") {
    UrlParts parts = parse("http://example.com:8080/hook");
    CHECK(parts.port == 8080);
    CHECK(parts.port_text == "8080");
    CHECK(parse("https://example.com:1/").port == 1);
    CHECK(parse("https://example.com:65535/").port == 65535);

    for (const char* url : {"http://example.com:0/", "http://example.com:65536/", "http://example.com:99999/",
                            "http://example.com:123456/", "http://example.com:/", "http://example.com:-1/",
                            "http://example.com:8o/", "http://example.com:80:80/", "http://example.com:+80/",
                            "http://[::1]:/", "http://[::1]:0/", "http://[::1]:70000/"}) {
        INFO(url);
        CHECK_THAT(parse_error(url), Contains("port"));
    }

    parts = parse("http://[2001:DB8::1]:8443/hook?x=1");
    CHECK(parts.host == "2001:db8::1");
    CHECK(parts.port == 8443);
    CHECK(parts.port_text == "8443");
    CHECK(parts.path_and_query == "/hook?x=1");
    parts = parse("https://[::1]");
    CHECK(parts.host == "::1");
    CHECK(parts.port == 443);
    CHECK(parts.path_and_query == "/");
}

TEST_CASE("at submit: literals and localhost names are decided without DNS, other names wait for delivery") {
    // Names are not resolved here: a name that does not resolve now passes.
    std::string unresolvable = "https://" + std::string(64, 'a') + ".example/hook";
    CHECK(check_webhook_url_at_submit(unresolvable, {}).allowed);
    CHECK(check_webhook_url_at_submit("https://hooks.example.com/x", {}).allowed);
    CHECK(check_webhook_url_at_submit("https://93.184.216.34/x", {}).allowed);  // a public literal
    for (const std::string url : {"http://127.0.0.1/x", "http://127.1/x", "http://2130706433/x", "http://0x7f000001/x",
                                  "http://127.0.0.1./x", "http://10.0.0.1/x", "http://169.254.169.254/x",
                                  "http://[::1]/x", "http://[::ffff:127.0.0.1]/x", "http://[fd00::1]/x",
                                  "http://0.0.0.0/x", "http://localhost/x", "http://LOCALHOST./x",
                                  "http://api.localhost/x", "ftp://example.com/x"}) {
        INFO(url);
        GuardDecision decision = check_webhook_url_at_submit(url, {});
        CHECK_FALSE(decision.allowed);
        CHECK_FALSE(decision.reason.empty());
    }
    CHECK(check_webhook_url_at_submit("http://10.0.0.1/x", {"10.0.0.1"}).allowed);
    CHECK(check_webhook_url_at_submit("http://localhost/x", {"localhost"}).allowed);
    // At delivery the name is resolved, and one that does not resolve says so.
    GuardDecision later = check_webhook_url(unresolvable, {});
    CHECK_FALSE(later.allowed);
    CHECK(later.unresolved);
}
