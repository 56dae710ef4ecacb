#include "runs/context_typos.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace agenthost::runs {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Optimal string alignment distance: insertions, deletions, substitutions
// and a swap of two neighbours ("replicsa") each count one.
size_t edit_distance(const std::string& a, const std::string& b) {
    const size_t n = a.size(), m = b.size();
    std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
    for (size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (size_t i = 1; i <= n; ++i)
        for (size_t j = 1; j <= m; ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

// Names longer than this are not compared: a member that long is data, and
// the table would grow with its square.
constexpr size_t kLongestName = 64;

}  // namespace

std::vector<ContextTypo> context_typos(const rapidjson::Value& input_schema, const rapidjson::Value& context) {
    std::vector<ContextTypo> typos;
    if (!input_schema.IsObject() || !context.IsObject()) return typos;
    auto properties = input_schema.FindMember("properties");
    if (properties == input_schema.MemberEnd() || !properties->value.IsObject() ||
        properties->value.MemberCount() == 0)
        return typos;
    const rapidjson::Value& listed = properties->value;
    for (const auto& member : context.GetObject()) {
        std::string name(member.name.GetString(), member.name.GetStringLength());
        // Two letters are too few to tell a typo from another name.
        if (name.size() < 3 || name.size() > kLongestName || listed.HasMember(member.name)) continue;
        const std::string name_lower = lower(name);
        const size_t allowed = name.size() <= 5 ? 1 : 2;
        size_t best = std::numeric_limits<size_t>::max();
        std::string suggestion;
        for (const auto& property : listed.GetObject()) {
            std::string candidate(property.name.GetString(), property.name.GetStringLength());
            if (candidate.size() > kLongestName) continue;
            size_t distance = edit_distance(name_lower, lower(candidate));
            if (distance < best) {
                best = distance;
                suggestion = candidate;
            }
        }
        if (best <= allowed) typos.push_back({name, suggestion});
    }
    return typos;
}

std::string typo_warning(const std::string& agent, const ContextTypo& typo) {
    return "context." + typo.field + " is not a field agent '" + agent + "' reads; did you mean context." +
           typo.suggestion + "?";
}

}  // namespace agenthost::runs
