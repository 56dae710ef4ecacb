#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sentiment.hpp"
#include "texts.hpp"

using sentiment::Label;

namespace {

double score_of(const std::string& text) { return sentiment::analyze(text).score; }

bool contains(const std::vector<std::string>& words, const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

const sentiment::Driver* driver_for(const sentiment::Analysis& analysis, const std::string& word) {
    for (const auto& driver : analysis.drivers)
        if (driver.word == word) return &driver;
    return nullptr;
}

}  // namespace

TEST_CASE("a glowing product review is positive and confident", "[analyze]") {
    const auto analysis = sentiment::analyze(texts::laptop_review);
    CHECK(analysis.label == Label::positive);
    CHECK(analysis.score > 0.8);
    CHECK(analysis.confidence > 0.8);
    CHECK(analysis.negative_words.empty());
    for (const char* word : {"excellent", "comfortable", "gorgeous", "quick", "friendly", "recommend"})
        CHECK(contains(analysis.positive_words, word));
    REQUIRE_FALSE(analysis.drivers.empty());
    CHECK(analysis.drivers.front().word == "excellent");
}

TEST_CASE("an incident report is negative and names what went wrong", "[analyze]") {
    const auto analysis = sentiment::analyze(texts::incident_report);
    CHECK(analysis.label == Label::negative);
    CHECK(analysis.score < -0.8);
    CHECK(analysis.positive_words.empty());
    for (const char* word : {"faulty", "outage", "failed", "timeouts", "error", "crashed", "slow", "severe"})
        CHECK(contains(analysis.negative_words, word));
    REQUIRE(driver_for(analysis, "crashed") != nullptr);
    CHECK(driver_for(analysis, "crashed")->sentence == 2);
}

TEST_CASE("factual news is neutral with no drivers", "[analyze]") {
    const auto analysis = sentiment::analyze(texts::committee_news);
    CHECK(analysis.label == Label::neutral);
    CHECK(analysis.score == 0.0);
    CHECK(analysis.drivers.empty());
    CHECK(analysis.confidence == Approx(1.0));
    REQUIRE(analysis.sentences.size() == 2);
    CHECK(analysis.sentences[1].label == Label::neutral);
}

TEST_CASE("negation flips a word within three words", "[analyze][negation]") {
    const auto not_good = sentiment::analyze("The new firmware is not good.");
    CHECK(not_good.label == Label::negative);
    REQUIRE(not_good.drivers.size() == 1);
    CHECK(not_good.drivers[0].word == "good");
    CHECK(not_good.drivers[0].negated);
    CHECK(not_good.drivers[0].valence < 0.0);
    CHECK(not_good.negative_words == std::vector<std::string>{"good"});

    CHECK(sentiment::analyze("This is not a reliable service.").label == Label::negative);
    CHECK(sentiment::analyze("The dashboard doesn’t feel responsive anymore.").label == Label::negative);
    CHECK(sentiment::analyze("The migration finished without any problems.").label == Label::positive);
    CHECK(sentiment::analyze("We never had a crash.").label == Label::positive);
    // Four words away is outside the window: the sentence praises the tool.
    const auto far = sentiment::analyze("I have never seen such a reliable build tool.");
    CHECK(far.label == Label::positive);
    CHECK_FALSE(far.drivers[0].negated);
}

TEST_CASE("weak negation flips less than full negation", "[analyze][negation]") {
    const double hardly = score_of("After the update the app is hardly usable.");
    const double not_usable = score_of("After the update the app is not usable.");
    CHECK(hardly < 0.0);
    CHECK(not_usable < hardly);
}

TEST_CASE("negation does not reach across a comma", "[analyze][negation]") {
    const auto analysis = sentiment::analyze("No complaints, great product.");
    CHECK(analysis.label == Label::positive);
    REQUIRE(driver_for(analysis, "great") != nullptr);
    CHECK_FALSE(driver_for(analysis, "great")->negated);
    CHECK(driver_for(analysis, "complaints")->negated);
}

TEST_CASE("intensifiers strengthen and dampeners weaken", "[analyze][modifiers]") {
    const double good = score_of("The food was good.");
    const double very_good = score_of("The food was very good.");
    const double extremely_good = score_of("The food was EXTREMELY good.");
    const double slightly_good = score_of("The food was slightly good.");
    CHECK(very_good > good);
    CHECK(extremely_good > very_good);
    CHECK(slightly_good < good);
    CHECK(slightly_good > 0.0);
    CHECK(score_of("The checkout was very slow.") < score_of("The checkout was slow."));
    CHECK(score_of("The checkout was somewhat slow.") > score_of("The checkout was slow."));

    const auto analysis = sentiment::analyze("Support was very helpful.");
    REQUIRE(analysis.drivers.size() == 1);
    CHECK(analysis.drivers[0].modifier == std::optional<std::string>("very"));
    CHECK(sentiment::analyze("Support was helpful.").drivers[0].modifier == std::nullopt);
}

TEST_CASE("the clause after \"but\" outweighs the one before", "[analyze][contrast]") {
    const auto hardware_then_support = sentiment::analyze("The hardware is good but the support is terrible.");
    CHECK(hardware_then_support.label == Label::negative);
    CHECK(sentiment::analyze("The support is terrible but the hardware is good.").score > hardware_then_support.score);
    // Without the contrast both words count fully, and the sum is milder.
    CHECK(score_of("The hardware is good and the support is terrible.") > hardware_then_support.score);
}

TEST_CASE("exclamation marks and ALL-CAPS add emphasis", "[analyze][emphasis]") {
    CHECK(score_of("The new release is great!!!") > score_of("The new release is great."));
    CHECK(score_of("The outage was bad!") < score_of("The outage was bad."));
    CHECK(score_of("The support was TERRIBLE today.") < score_of("The support was terrible today."));
    // Text written all in caps is not emphasis.
    CHECK(score_of("THE SUPPORT WAS TERRIBLE TODAY.") == Approx(score_of("the support was terrible today.")));
}

TEST_CASE("each sentence gets its own score and label", "[analyze][sentences]") {
    const auto analysis =
        sentiment::analyze("The screen is gorgeous. The speakers are awful. The package arrived on Monday.");
    REQUIRE(analysis.sentences.size() == 3);
    CHECK(analysis.sentences[0].label == Label::positive);
    CHECK(analysis.sentences[1].label == Label::negative);
    CHECK(analysis.sentences[2].label == Label::neutral);
    CHECK(analysis.sentences[1].text == "The speakers are awful.");
    CHECK(driver_for(analysis, "awful")->sentence == 1);
}

TEST_CASE("mixed feelings make a less confident call than uniform ones", "[analyze][confidence]") {
    const auto mixed = sentiment::analyze("The camera is excellent. The battery is awful and the case is flimsy.");
    const auto uniform = sentiment::analyze("The battery is awful and the case is flimsy.");
    CHECK(mixed.label == Label::negative);
    CHECK(mixed.confidence < uniform.confidence);
    CHECK(mixed.confidence >= 0.0);
}

TEST_CASE("drivers come strongest first", "[analyze]") {
    const auto analysis = sentiment::analyze(texts::incident_report);
    for (std::size_t i = 1; i < analysis.drivers.size(); ++i)
        CHECK(std::abs(analysis.drivers[i - 1].valence) >= std::abs(analysis.drivers[i].valence));
}

TEST_CASE("the neutral threshold widens or narrows the neutral band", "[analyze]") {
    const std::string mild = "The rollout had a minor issue with one region, otherwise the day was uneventful.";
    CHECK(sentiment::analyze(mild).label == Label::negative);
    CHECK(sentiment::analyze(mild, sentiment::Options{0.5}).label == Label::neutral);
    CHECK(sentiment::label_for(0.049, 0.05) == Label::neutral);
    CHECK(sentiment::label_for(0.05, 0.05) == Label::positive);
    CHECK(sentiment::label_for(-0.3, 0.05) == Label::negative);
}

TEST_CASE("scores stay in range however strong the text", "[analyze]") {
    std::string rant;
    for (int i = 0; i < 50; ++i) rant += "This is the WORST, most horrible, disgusting disaster ever!!!! ";
    const auto analysis = sentiment::analyze(rant);
    CHECK(analysis.score >= -1.0);
    CHECK(analysis.score < -0.99);
    CHECK(analysis.confidence <= 1.0);
    for (const auto& sentence : analysis.sentences) CHECK(sentence.score >= -1.0);
}

TEST_CASE("text without sentences is neutral and empty", "[analyze]") {
    const auto analysis = sentiment::analyze("   ");
    CHECK(analysis.label == Label::neutral);
    CHECK(analysis.sentences.empty());
    CHECK(analysis.drivers.empty());
}

TEST_CASE("labels have their JSON names", "[analyze]") {
    CHECK(sentiment::to_string(Label::positive) == "positive");
    CHECK(sentiment::to_string(Label::negative) == "negative");
    CHECK(sentiment::to_string(Label::neutral) == "neutral");
}
