// The sentence graph of TextRank: which sentences talk about the same things.
#ifndef SUMMARIZER_SIMILARITY_HPP
#define SUMMARIZER_SIMILARITY_HPP

#include <cstddef>
#include <string>
#include <vector>

#include "pagerank.hpp"

namespace summarizer {

// Links every two sentences that share content words, weighted by the cosine
// similarity of their TF-IDF vectors. Content words are the words left after
// dropping stopwords and single characters, with plurals folded
// ("outages" = "outage"). IDF is smoothed, ln(1 + n / df), so a word found
// in every sentence, typically the topic itself, still links them.
//
// Each sentence keeps its links to the `max_links` most similar others (ties
// to the earlier sentence), in node order. That bounds memory on very long
// text, where the topic's words link nearly every pair, and changes nothing
// for a text of up to max_links + 1 sentences, whose graph stays undirected.
WeightedGraph similarity_graph(const std::vector<std::string>& sentences, std::size_t max_links = 50);

}  // namespace summarizer

#endif  // SUMMARIZER_SIMILARITY_HPP
