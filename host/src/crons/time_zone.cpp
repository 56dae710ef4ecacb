#include "crons/time_zone.hpp"

#include "crons/civil_time.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace agenthost::crons {

// "std offset dst [offset],start[/time],end[/time]" with M-form dates:
// the DST rule a zone follows past its last listed transition.
struct TimeZone::Rule {
    long long std_offset = 0;  // seconds east of UTC
    long long dst_offset = 0;
    bool has_dst = false;
    struct When {
        int month = 0, week = 0, weekday = 0;  // Mm.w.d
        long long time = 7200;                 // local seconds after midnight
    } start, end;
};

namespace {

long long read_be(const std::string& bytes, size_t at, int size) {
    unsigned long long value = 0;
    for (int i = 0; i < size; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    if (size == 4) return static_cast<int32_t>(static_cast<uint32_t>(value));
    return static_cast<long long>(value);
}

// POSIX TZ pieces. Each returns false on text it does not understand.
bool skip_name(const std::string& s, size_t& i) {
    if (i < s.size() && s[i] == '<') {
        size_t close = s.find('>', i);
        if (close == std::string::npos) return false;
        i = close + 1;
        return true;
    }
    size_t begin = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    return i - begin >= 3;
}

bool read_time(const std::string& s, size_t& i, long long& seconds) {
    int sign = 1;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
    long long parts[3] = {0, 0, 0};
    for (int part = 0; part < 3; ++part) {
        size_t begin = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) parts[part] = parts[part] * 10 + (s[i++] - '0');
        // POSIX allows hours up to 167 (RFC 8536 extends it to 167 too).
        if (i == begin || i - begin > 3) return false;
        if (part == 2 || i >= s.size() || s[i] != ':') break;
        ++i;
    }
    seconds = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
    return true;
}

bool read_when(const std::string& s, size_t& i, int& month, int& week, int& weekday,
               long long& time) {
    if (i >= s.size() || s[i] != 'M') return false;  // Jn and n forms: no IANA zone uses them
    ++i;
    int* fields[3] = {&month, &week, &weekday};
    for (int f = 0; f < 3; ++f) {
        size_t begin = i;
        *fields[f] = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) *fields[f] = *fields[f] * 10 + (s[i++] - '0');
        if (i == begin || i - begin > 2) return false;
        if (f < 2) {
            if (i >= s.size() || s[i] != '.') return false;
            ++i;
        }
    }
    if (month < 1 || month > 12 || week < 1 || week > 5 || weekday > 6) return false;
    time = 7200;
    if (i < s.size() && s[i] == '/') {
        ++i;
        if (!read_time(s, i, time)) return false;
    }
    return true;
}

// The local day number of rule date Mm.w.d in `year`.
long long rule_day(long long year, int month, int week, int weekday) {
    long long first = days_from_civil(year, month, 1);
    int first_weekday = weekday_from_days(first);
    long long day = first + (weekday - first_weekday + 7) % 7 + 7LL * (week - 1);
    long long last = first + days_in_month(year, month) - 1;
    while (day > last) day -= 7;  // week 5: the last such weekday
    return day;
}

}  // namespace

std::optional<TimeZone> TimeZone::load(const std::string& name, std::string& error, const std::string& zoneinfo_dir) {
    if (name == "UTC" || name == "Etc/UTC" || name == "Z") {
        TimeZone utc;
        utc.name_ = name;
        return utc;
    }
    bool plain = !name.empty() && name.size() <= 64 && name.front() != '/' && name.find("..") == std::string::npos &&
                 std::all_of(name.begin(), name.end(), [](unsigned char c) {
                     return std::isalnum(c) || c == '/' || c == '_' || c == '-' || c == '+';
                 });
    if (!plain) {
        error = "'" + name + "' is not an IANA time zone name (such as Europe/Berlin)";
        return std::nullopt;
    }
    std::ifstream file(zoneinfo_dir + "/" + name, std::ios::binary);
    if (!file) {
        error = "unknown time zone '" + name + "' (not in " + zoneinfo_dir + "; is the tzdata package installed?)";
        return std::nullopt;
    }
    std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    return from_tzif(name, bytes, error);
}

std::optional<TimeZone> TimeZone::from_tzif(const std::string& name, const std::string& bytes, std::string& error) {
    auto bad = [&](const std::string& why) {
        error = "time zone '" + name + "' could not be read: " + why;
        return std::nullopt;
    };
    if (bytes.size() < 44 || bytes.compare(0, 4, "TZif") != 0) return bad("not a TZif file");
    // Reads one header and data block; `wide` blocks have 8-byte times.
    auto block = [&](size_t at, bool wide, TimeZone& zone, size_t& end) -> bool {
        if (bytes.size() < at + 44) return false;
        long long isutcnt = read_be(bytes, at + 20, 4), isstdcnt = read_be(bytes, at + 24, 4),
                  leapcnt = read_be(bytes, at + 28, 4), timecnt = read_be(bytes, at + 32, 4),
                  typecnt = read_be(bytes, at + 36, 4), charcnt = read_be(bytes, at + 40, 4);
        if (isutcnt < 0 || isstdcnt < 0 || leapcnt < 0 || timecnt < 0 || typecnt <= 0 || charcnt < 0 ||
            timecnt > 100000 || typecnt > 256)
            return false;
        int time_size = wide ? 8 : 4;
        size_t p = at + 44;
        size_t need = p + timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
                      isstdcnt + isutcnt;
        if (bytes.size() < need) return false;
        std::vector<long long> times(timecnt);
        for (long long i = 0; i < timecnt; ++i) times[i] = read_be(bytes, p + i * time_size, time_size);
        p += timecnt * time_size;
        std::vector<int> indices(timecnt);
        for (long long i = 0; i < timecnt; ++i) indices[i] = static_cast<unsigned char>(bytes[p + i]);
        p += timecnt;
        std::vector<long long> type_offsets(typecnt);
        std::vector<bool> type_dst(typecnt);
        for (long long i = 0; i < typecnt; ++i) {
            type_offsets[i] = read_be(bytes, p + i * 6, 4);
            type_dst[i] = bytes[p + i * 6 + 4] != 0;
        }
        for (int index : indices)
            if (index >= typecnt) return false;
        zone.transitions_ = times;
        zone.offsets_.clear();
        for (int index : indices) zone.offsets_.push_back(type_offsets[index]);
        // Before the first transition: the first standard-time type (RFC 8536 3.2).
        zone.initial_offset_ = type_offsets[0];
        for (long long i = 0; i < typecnt; ++i)
            if (!type_dst[i]) {
                zone.initial_offset_ = type_offsets[i];
                break;
            }
        end = need;
        return true;
    };
    TimeZone zone;
    zone.name_ = name;
    size_t end = 0;
    if (!block(0, false, zone, end)) return bad("truncated or malformed data");
    char version = bytes[4];
    if (version >= '2') {
        if (!block(end, true, zone, end)) return bad("truncated or malformed version 2 data");
        // The footer: "\n<POSIX TZ>\n".
        if (end < bytes.size() && bytes[end] == '\n') {
            size_t close = bytes.find('\n', end + 1);
            if (close != std::string::npos) {
                std::string tz = bytes.substr(end + 1, close - end - 1);
                auto rule = std::make_shared<Rule>();
                size_t i = 0;
                long long offset = 0;
                bool ok = skip_name(tz, i) && read_time(tz, i, offset);
                if (ok) {
                    rule->std_offset = -offset;
                    if (i < tz.size()) {
                        ok = skip_name(tz, i);
                        rule->has_dst = true;
                        rule->dst_offset = rule->std_offset + 3600;
                        if (ok && i < tz.size() && tz[i] != ',') {
                            ok = read_time(tz, i, offset);
                            rule->dst_offset = -offset;
                        }
                        ok = ok && i < tz.size() && tz[i++] == ',' &&
                             read_when(tz, i, rule->start.month, rule->start.week, rule->start.weekday,
                                       rule->start.time) &&
                             i < tz.size() && tz[i++] == ',' &&
                             read_when(tz, i, rule->end.month, rule->end.week, rule->end.weekday,
                                       rule->end.time) &&
                             i == tz.size();
                    }
                }
                if (ok) zone.rule_ = rule;
            }
        }
    }
    return zone;
}

long long TimeZone::rule_offset_at(long long utc_seconds) const {
    const Rule& rule = *rule_;
    if (!rule.has_dst) return rule.std_offset;
    long long year = civil_from_days(floor_div(utc_seconds + rule.std_offset, 86400)).year;
    // Transition instants in UTC: the start is given in standard time, the
    // end in daylight time.
    long long start = rule_day(year, rule.start.month, rule.start.week, rule.start.weekday) * 86400 +
                      rule.start.time - rule.std_offset;
    long long end = rule_day(year, rule.end.month, rule.end.week, rule.end.weekday) * 86400 + rule.end.time -
                    rule.dst_offset;
    bool dst = start < end ? (utc_seconds >= start && utc_seconds < end)   // northern hemisphere
                           : !(utc_seconds >= end && utc_seconds < start);  // southern
    return dst ? rule.dst_offset : rule.std_offset;
}

long long TimeZone::offset_at(long long utc_seconds) const {
    if (transitions_.empty()) return rule_ ? rule_offset_at(utc_seconds) : initial_offset_;
    if (utc_seconds < transitions_.front()) return initial_offset_;
    if (utc_seconds >= transitions_.back() && rule_) return rule_offset_at(utc_seconds);
    auto after = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds);
    return offsets_[static_cast<size_t>(after - transitions_.begin()) - 1];
}

TimeZone::Resolved TimeZone::resolve(long long local_seconds) const {
    // Offsets in effect within a day either side: a local time can only
    // mean local - offset for one of them.
    std::set<long long> offsets;
    for (long long probe : {-86400LL, -43200LL, 0LL, 43200LL, 86400LL})
        offsets.insert(offset_at(local_seconds + probe));
    Resolved resolved;
    for (long long offset : offsets) {
        long long instant = local_seconds - offset;
        if (offset_at(instant) == offset) resolved.instants.push_back(instant);
    }
    std::sort(resolved.instants.begin(), resolved.instants.end());
    resolved.instants.erase(std::unique(resolved.instants.begin(), resolved.instants.end()), resolved.instants.end());
    if (resolved.instants.empty()) {
        // A gap: between local - larger offset (before the jump) and local -
        // smaller offset (after it) lies the transition; find its second.
        long long low = local_seconds - *offsets.rbegin(), high = local_seconds - *offsets.begin();
        long long before = offset_at(low);
        while (high - low > 1) {
            long long middle = low + (high - low) / 2;
            if (offset_at(middle) == before) low = middle;
            else high = middle;
        }
        resolved.gap_end = high;
    }
    return resolved;
}

}  // namespace agenthost::crons
