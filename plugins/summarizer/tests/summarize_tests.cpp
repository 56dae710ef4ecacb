#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "paragraphs.hpp"
#include "sentence_budget.hpp"
#include "summarizer.hpp"

namespace {

std::vector<std::size_t> indices_of(const summarizer::Summary& summary) {
    std::vector<std::size_t> indices;
    for (const auto& sentence : summary.sentences) indices.push_back(sentence.index);
    return indices;
}

}  // namespace

TEST_CASE("the summary keeps the central sentences and drops the off-topic one", "[summarize]") {
    const auto summary = summarizer::summarize(paragraphs::outage_news, 3);
    CHECK(summary.original_sentence_count == paragraphs::outage_news_sentences);
    // The opening sentence and the restoration both tie power, the data center
    // and the payment service together; the Milan conference shares nothing.
    CHECK(indices_of(summary) == std::vector<std::size_t>{0, 1, 3});
    for (std::size_t length = 1; length <= paragraphs::outage_news_sentences - 1; ++length) {
        const auto indices = indices_of(summarizer::summarize(paragraphs::outage_news, length));
        CHECK(std::find(indices.begin(), indices.end(), paragraphs::outage_news_off_topic) == indices.end());
    }
}

TEST_CASE("a one-sentence summary of a review is the sentence that sums it up", "[summarize]") {
    const auto summary = summarizer::summarize(paragraphs::phone_review, 1);
    REQUIRE(summary.sentences.size() == 1);
    CHECK(summary.sentences[0].index == 0);
    CHECK(summary.sentences[0].score == Approx(1.0));
    CHECK(summary.text ==
          "The battery lasts two days, the camera takes sharp photos and the screen stays bright outdoors.");
}

TEST_CASE("chosen sentences keep their original order, text and offsets", "[summarize]") {
    const std::string text = paragraphs::outage_news;
    const auto summary = summarizer::summarize(text, 4);
    REQUIRE(summary.sentences.size() == 4);
    std::string expected_summary;
    for (std::size_t i = 0; i < summary.sentences.size(); ++i) {
        const auto& sentence = summary.sentences[i];
        if (i > 0) CHECK(sentence.index > summary.sentences[i - 1].index);
        // The outage text is ASCII, so code point offsets are byte offsets.
        CHECK(text.substr(sentence.start, sentence.end - sentence.start) == sentence.text);
        CHECK(sentence.score > 0.0);
        CHECK(sentence.score <= 1.0);
        expected_summary += (i > 0 ? " " : "") + sentence.text;
    }
    CHECK(summary.text == expected_summary);
}

TEST_CASE("max_sentences bounds the summary", "[summarize]") {
    for (std::size_t budget = 1; budget <= 8; ++budget) {
        const auto summary = summarizer::summarize(paragraphs::outage_news, budget);
        CHECK(summary.sentences.size() == std::min(budget, paragraphs::outage_news_sentences));
    }
    CHECK(summarizer::summarize(paragraphs::outage_news, 2).compression_ratio <
          summarizer::summarize(paragraphs::outage_news, 4).compression_ratio);
}

TEST_CASE("text with fewer sentences than asked comes back whole", "[summarize]") {
    const std::string text =
        "The nightly backup failed because the storage bucket was full.\n"
        "Old snapshots were deleted and the backup was rerun successfully.";
    const auto summary = summarizer::summarize(text, 5);
    CHECK(indices_of(summary) == std::vector<std::size_t>{0, 1});
    CHECK(summary.original_sentence_count == 2);
    CHECK(summary.compression_ratio == Approx(1.0));
    CHECK(summary.text ==
          "The nightly backup failed because the storage bucket was full. "
          "Old snapshots were deleted and the backup was rerun successfully.");
}

TEST_CASE("wrapped lines read as one line in the summary text", "[summarize]") {
    const auto summary = summarizer::summarize("The deploy of version 2.4 failed\non three hosts.", 1);
    REQUIRE(summary.sentences.size() == 1);
    CHECK(summary.sentences[0].text == "The deploy of version 2.4 failed\non three hosts.");
    CHECK(summary.text == "The deploy of version 2.4 failed on three hosts.");
}

TEST_CASE("summaries are deterministic", "[summarize]") {
    const auto first = summarizer::summarize(paragraphs::outage_news, 3);
    for (int run = 0; run < 5; ++run) {
        const auto again = summarizer::summarize(paragraphs::outage_news, 3);
        REQUIRE(indices_of(again) == indices_of(first));
        for (std::size_t i = 0; i < first.sentences.size(); ++i)
            CHECK(again.sentences[i].score == first.sentences[i].score);
    }
}

TEST_CASE("sentences that share no words fall back to the opening ones", "[summarize]") {
    const auto summary = summarizer::summarize("Alpha beta. Gamma delta. Epsilon zeta. Theta iota.", 2);
    CHECK(indices_of(summary) == std::vector<std::size_t>{0, 1});
}

TEST_CASE("text without sentences gives an empty summary", "[summarize]") {
    const auto summary = summarizer::summarize(" \n\t ", 3);
    CHECK(summary.sentences.empty());
    CHECK(summary.original_sentence_count == 0);
    CHECK(summary.text.empty());
    CHECK(summary.compression_ratio == 0.0);
}

TEST_CASE("the observer hears each phase in order and can stop the work", "[summarize]") {
    std::vector<double> fractions;
    summarizer::summarize(paragraphs::outage_news, 2, [&](std::string_view done, double fraction) {
        CHECK_FALSE(done.empty());
        fractions.push_back(fraction);
    });
    REQUIRE(fractions.size() == 3);
    CHECK(std::is_sorted(fractions.begin(), fractions.end()));

    int phases = 0;
    const auto stop_after_first = [&](std::string_view, double) {
        if (++phases == 1) throw std::runtime_error("cancelled");
    };
    CHECK_THROWS_WITH(summarizer::summarize(paragraphs::outage_news, 2, stop_after_first), "cancelled");
    CHECK(phases == 1);
}

TEST_CASE("a sentence the text repeats is chosen once", "[summarize]") {
    // Found by an outside tester: the repeated sentence filled two of the
    // summary's three places.
    const std::string text =
        "The outage took the payment service down for two hours. Engineers traced the outage to a failed power "
        "supply in the data center. The outage took the payment service down for two hours! The payment service "
        "came back once the data center ran on generator power. A conference in Milan went ahead as planned.";
    const auto summary = summarizer::summarize(text, 3);
    REQUIRE(summary.sentences.size() == 3);
    CHECK(indices_of(summary) == std::vector<std::size_t>{0, 1, 3});
    CHECK(summary.text.find("two hours!") == std::string::npos);
}

TEST_CASE("the instruction's own words say how many sentences", "[summarize]") {
    using summarizer::sentences_named;
    CHECK(sentences_named("Summarize in two sentences: ") == 2);
    CHECK(sentences_named("Give me a one-sentence summary of the following. ") == 1);
    CHECK(sentences_named("Condense this into 4 sentences:") == 4);
    CHECK(sentences_named("Summarize this in a sentence: ") == 1);
    CHECK(sentences_named("Summarize: ") == std::nullopt);
    CHECK(sentences_named("Summarize in a few sentences: ") == std::nullopt);
    CHECK(sentences_named("Summarize in 500 sentences: ") == std::nullopt);
}
