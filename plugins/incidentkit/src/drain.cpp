// Drain log template mining: a fixed-depth parse tree (token count, then
// the first depth-2 tokens) whose leaves hold clusters; a line joins the
// most similar cluster of its leaf or founds a new one.
#include <cctype>
#include <map>
#include <memory>
#include <unordered_map>

#include "incident.hpp"

namespace incident {
namespace {

const std::string wildcard = "<*>";

bool has_digit(std::string_view token) {
    for (char c : token)
        if (std::isdigit(static_cast<unsigned char>(c))) return true;
    return false;
}

std::string mask(std::string_view token) {
    const std::size_t equals = token.find('=');
    if (equals != std::string_view::npos && equals > 0 && equals + 1 < token.size())
        return std::string(token.substr(0, equals + 1)) + (has_digit(token.substr(equals + 1)) ? wildcard : std::string(token.substr(equals + 1)));
    return has_digit(token) ? wildcard : std::string(token);
}

}  // namespace

std::vector<std::string> masked_tokens(std::string_view message) {
    std::vector<std::string> tokens;
    std::size_t at = 0;
    while (at < message.size()) {
        while (at < message.size() && std::isspace(static_cast<unsigned char>(message[at]))) ++at;
        const std::size_t start = at;
        while (at < message.size() && !std::isspace(static_cast<unsigned char>(message[at]))) ++at;
        if (at > start) tokens.push_back(mask(message.substr(start, at - start)));
    }
    return tokens;
}

std::string Cluster::template_text() const {
    std::string out;
    for (const auto& token : tokens) out += (out.empty() ? "" : " ") + token;
    return out;
}

struct Drain::Impl {
    struct Node {
        std::unordered_map<std::string, std::unique_ptr<Node>> children;
        std::vector<std::size_t> clusters;
    };
    std::size_t depth;
    double similarity;
    std::size_t max_children;
    std::map<std::pair<int, std::size_t>, Node> roots;  // by group and token count
    std::vector<Cluster> clusters;

    Node& leaf(const std::vector<std::string>& tokens, int group) {
        Node* node = &roots[{group, tokens.size()}];
        const std::size_t levels = std::min(tokens.size(), depth - 2);
        for (std::size_t i = 0; i < levels; ++i) {
            std::string key = tokens[i].find(wildcard) != std::string::npos ? wildcard : tokens[i];
            auto found = node->children.find(key);
            if (found == node->children.end()) {
                // A full node sends new keys down the wildcard branch.
                if (node->children.size() >= max_children) key = wildcard;
                found = node->children.find(key);
                if (found == node->children.end()) found = node->children.emplace(key, std::make_unique<Node>()).first;
            }
            node = found->second.get();
        }
        return *node;
    }

    // Share of positions where the template holds the same token; a
    // wildcard counts as a match so a merged template keeps its members.
    static double similarity_of(const std::vector<std::string>& templ, const std::vector<std::string>& tokens) {
        if (tokens.empty()) return 1.0;
        std::size_t same = 0;
        for (std::size_t i = 0; i < tokens.size(); ++i) same += templ[i] == tokens[i] || templ[i] == wildcard;
        return static_cast<double>(same) / static_cast<double>(tokens.size());
    }
};

Drain::Drain(std::size_t depth, double similarity, std::size_t max_children)
    : impl_(std::make_unique<Impl>(Impl{std::max<std::size_t>(depth, 3), similarity, max_children, {}, {}})) {}
Drain::~Drain() = default;

std::size_t Drain::add(std::string_view message, int group) {
    const std::vector<std::string> tokens = masked_tokens(message);
    Impl::Node& leaf = impl_->leaf(tokens, group);
    std::size_t best = 0;
    double best_similarity = -1;
    for (std::size_t id : leaf.clusters) {
        const double similarity = Impl::similarity_of(impl_->clusters[id].tokens, tokens);
        if (similarity > best_similarity) best_similarity = similarity, best = id;
    }
    if (best_similarity >= impl_->similarity) {
        Cluster& cluster = impl_->clusters[best];
        for (std::size_t i = 0; i < tokens.size(); ++i)
            if (cluster.tokens[i] != tokens[i]) cluster.tokens[i] = wildcard;
        ++cluster.count;
        return best;
    }
    Cluster cluster;
    cluster.id = impl_->clusters.size();
    cluster.tokens = tokens;
    cluster.count = 1;
    impl_->clusters.push_back(std::move(cluster));
    leaf.clusters.push_back(impl_->clusters.size() - 1);
    return impl_->clusters.size() - 1;
}

std::vector<Cluster>& Drain::clusters() { return impl_->clusters; }

}  // namespace incident
