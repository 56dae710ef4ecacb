// Real-world style texts the summarizer tests share.
#ifndef SUMMARIZER_TESTS_PARAGRAPHS_HPP
#define SUMMARIZER_TESTS_PARAGRAPHS_HPP

namespace paragraphs {

// A news report about one outage, with one off-topic sentence (index 5).
inline constexpr const char* outage_news =
    "A power failure at the company's Frankfurt data center took down its payment service for three hours on "
    "Tuesday. The outage began when a faulty transformer cut power to the data center and the backup generators "
    "failed to start. Without power, the payment service rejected card payments from customers across Europe. "
    "Engineers restored power to the data center shortly after noon, and the payment service recovered by 2 p.m. "
    "The company said it would replace the transformer and test the backup generators every month. "
    "Separately, the chief marketing officer will speak at a fashion conference in Milan next spring.";
inline constexpr std::size_t outage_news_sentences = 6;
inline constexpr std::size_t outage_news_off_topic = 5;

// A product review whose first sentence sums up the three that follow.
inline constexpr const char* phone_review =
    "The battery lasts two days, the camera takes sharp photos and the screen stays bright outdoors. "
    "In my tests the battery lasted two full days of heavy use. "
    "The camera takes sharp, detailed photos even at night. "
    "The screen stays bright enough to read outdoors in direct sunlight. "
    "Shipping took a week.";

}  // namespace paragraphs

#endif  // SUMMARIZER_TESTS_PARAGRAPHS_HPP
