#include "signals/fingerprint.hpp"

#include "webhooks/signature.hpp"

#include <cctype>

namespace agenthost::signals {
namespace {

bool is_variable(const std::string& word) {
    for (char c : word)
        if (std::isdigit(static_cast<unsigned char>(c)) != 0) return true;
    if (word.size() >= 2 && (word.front() == '"' || word.front() == '\'')) return true;
    return false;
}

}  // namespace

std::string error_template(const std::string& message) {
    std::string out;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += ' ';
        out += is_variable(word) ? "<*>" : word;
        word.clear();
    };
    for (char c : message) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) flush();
        else word += c;
        if (out.size() > 512) break;
    }
    flush();
    if (out.size() > 512) out.resize(512);
    return out;
}

std::string fingerprint(const std::string& kind, const std::string& service, const std::string& template_text) {
    // A keyed digest is not needed: a fixed key makes the HMAC a plain hash.
    return webhooks::hmac_sha256_hex("agenthost-signal-fingerprint", kind + "\n" + service + "\n" + template_text)
        .substr(0, 32);
}

std::string normal_severity(const std::string& level) {
    std::string l;
    for (char c : level) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == "critical" || l == "crit" || l == "fatal" || l == "panic" || l == "emergency" || l == "emerg" ||
        l == "alert")
        return "critical";
    if (l == "error" || l == "err" || l == "severe") return "error";
    if (l == "warning" || l == "warn") return "warning";
    if (l == "info" || l == "information" || l == "notice" || l == "debug" || l == "trace") return "info";
    return "";
}

}  // namespace agenthost::signals
