#include "telemetry/trace_context.hpp"

#include <random>

namespace agenthost::telemetry {
namespace {

thread_local const TraceContext* t_current = nullptr;

int hex_value(char c) {
    // Lower case only: the specification forbids upper-case hex digits.
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool read_hex(std::string_view text, std::uint8_t* out, size_t bytes) {
    if (text.size() != bytes * 2) return false;
    for (size_t i = 0; i < bytes; ++i) {
        int high = hex_value(text[2 * i]), low = hex_value(text[2 * i + 1]);
        if (high < 0 || low < 0) return false;
        out[i] = static_cast<std::uint8_t>(high * 16 + low);
    }
    return true;
}

template <size_t N>
bool all_zero(const std::array<std::uint8_t, N>& bytes) {
    for (std::uint8_t b : bytes)
        if (b != 0) return false;
    return true;
}

template <size_t N>
std::array<std::uint8_t, N> random_id() {
    thread_local std::mt19937_64 random{std::random_device{}() ^ (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
    std::array<std::uint8_t, N> id{};
    do {
        for (size_t i = 0; i < N; i += 8) {
            std::uint64_t word = random();
            for (size_t j = 0; j < 8 && i + j < N; ++j) id[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
        }
    } while (all_zero(id));
    return id;
}

}  // namespace

bool TraceContext::valid() const { return !all_zero(trace_id) && !all_zero(span_id); }

std::string to_hex(const std::uint8_t* bytes, size_t length) {
    static const char digits[] = "0123456789abcdef";
    std::string out(length * 2, '0');
    for (size_t i = 0; i < length; ++i) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    return out;
}

std::string TraceContext::trace_id_hex() const { return to_hex(trace_id.data(), trace_id.size()); }
std::string TraceContext::span_id_hex() const { return to_hex(span_id.data(), span_id.size()); }

std::string TraceContext::traceparent() const {
    return "00-" + trace_id_hex() + "-" + span_id_hex() + (sampled ? "-01" : "-00");
}

std::optional<TraceContext> parse_traceparent(std::string_view header) {
    // Optional whitespace around a header value is not part of it.
    while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
    while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
    // version(2) - trace-id(32) - parent-id(16) - flags(2)
    constexpr size_t kLength = 55;
    if (header.size() < kLength) return std::nullopt;
    if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
    std::uint8_t version = 0, flags = 0;
    if (!read_hex(header.substr(0, 2), &version, 1) || version == 0xff) return std::nullopt;
    // Version 00 is exactly 55 characters; a later version may append
    // fields after another '-'.
    if (version == 0 && header.size() != kLength) return std::nullopt;
    if (header.size() > kLength && header[kLength] != '-') return std::nullopt;
    TraceContext context;
    if (!read_hex(header.substr(3, 32), context.trace_id.data(), 16)) return std::nullopt;
    if (!read_hex(header.substr(36, 16), context.span_id.data(), 8)) return std::nullopt;
    if (!read_hex(header.substr(53, 2), &flags, 1)) return std::nullopt;
    if (!context.valid()) return std::nullopt;
    context.sampled = (flags & 0x01) != 0;
    return context;
}

TraceId new_trace_id() { return random_id<16>(); }
SpanId new_span_id() { return random_id<8>(); }

const TraceContext* current_context() { return t_current; }

std::string current_traceparent() { return t_current != nullptr ? t_current->traceparent() : std::string(); }

ScopedContext::ScopedContext(const TraceContext& context) : previous_(t_current), active_(context.valid()) {
    if (active_) t_current = &context;
}

ScopedContext::~ScopedContext() {
    if (active_) t_current = previous_;
}

}  // namespace agenthost::telemetry
