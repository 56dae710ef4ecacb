// IANA time zones read from the system's tzdata (/usr/share/zoneinfo, the
// Debian package tzdata): a small TZif reader, because libstdc++ 12 has no
// std::chrono::tzdb and setting TZ for localtime_r is process-wide.
//
// It answers two questions a cron asks: the UTC offset at an instant, and
// the instant(s) a local wall-clock time names (none in a spring-forward
// gap, two in a fall-back overlap). Past the file's last transition the
// POSIX TZ rule in the file's footer applies (M-form rules, as every IANA
// zone uses); a zone whose footer cannot be read keeps its last offset.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace agenthost::crons {

class TimeZone {
  public:
    // "UTC" (and "Etc/UTC") always works; other names are read from
    // `zoneinfo_dir`. nullopt with `error` set for an unknown or unreadable
    // name, or one that is not a plain IANA name (no "..", no leading "/").
    static std::optional<TimeZone> load(const std::string& name, std::string& error,
                                        const std::string& zoneinfo_dir = "/usr/share/zoneinfo");
    // Parses TZif bytes (for tests).
    static std::optional<TimeZone> from_tzif(const std::string& name, const std::string& bytes, std::string& error);

    const std::string& name() const { return name_; }
    // Seconds east of UTC in effect at `utc_seconds`.
    long long offset_at(long long utc_seconds) const;

    // What a local wall-clock time (seconds since 1970-01-01T00:00 local)
    // is in UTC.
    struct Resolved {
        // The instants it names, earliest first: one normally, two in an
        // overlap, none in a gap.
        std::vector<long long> instants;
        // In a gap: the first valid instant after it (the transition).
        long long gap_end = 0;
    };
    Resolved resolve(long long local_seconds) const;

  private:
    struct Rule;  // the footer's POSIX TZ rule
    std::string name_;
    std::vector<long long> transitions_;  // UTC seconds, ascending
    std::vector<long long> offsets_;      // the offset from each transition on
    long long initial_offset_ = 0;        // before the first transition
    std::shared_ptr<const Rule> rule_;    // null: the last offset holds
    long long rule_offset_at(long long utc_seconds) const;
};

}  // namespace agenthost::crons
