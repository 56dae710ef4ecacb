#include "span_resolution.hpp"

#include "utf8.hpp"

#include <algorithm>
#include <map>

namespace entity_extractor {

namespace {

// Accepted spans by begin; overlap needs checking against the neighbours only.
class SpanIndex {
  public:
    bool overlaps(std::size_t begin, std::size_t end) const {
        auto next = spans_.lower_bound(begin);
        if (next != spans_.end() && next->first < end) return true;
        if (next == spans_.begin()) return false;
        return std::prev(next)->second > begin;
    }
    void insert(std::size_t begin, std::size_t end) { spans_.emplace(begin, end); }

  private:
    std::map<std::size_t, std::size_t> spans_;
};

}  // namespace

std::vector<Candidate> resolve_overlaps(std::string_view text, std::vector<Candidate> candidates) {
    std::vector<std::size_t> lengths(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i)
        lengths[i] = utf8::count_code_points(text.substr(candidates[i].begin, candidates[i].end - candidates[i].begin));

    std::vector<std::size_t> order(candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (lengths[a] != lengths[b]) return lengths[a] > lengths[b];
        if (candidates[a].type != candidates[b].type) return candidates[a].type < candidates[b].type;
        return candidates[a].begin < candidates[b].begin;
    });

    SpanIndex accepted_spans;
    std::vector<Candidate> accepted;
    for (std::size_t index : order) {
        Candidate& candidate = candidates[index];
        if (candidate.begin >= candidate.end || accepted_spans.overlaps(candidate.begin, candidate.end)) continue;
        accepted_spans.insert(candidate.begin, candidate.end);
        accepted.push_back(std::move(candidate));
    }
    std::sort(accepted.begin(), accepted.end(),
              [](const Candidate& a, const Candidate& b) { return a.begin < b.begin; });
    return accepted;
}

}  // namespace entity_extractor
