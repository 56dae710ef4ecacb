// Real-world style texts the sentiment tests share.
#ifndef SENTIMENT_TESTS_TEXTS_HPP
#define SENTIMENT_TESTS_TEXTS_HPP

namespace texts {

inline constexpr const char* laptop_review =
    "I bought this laptop for work and it has been excellent. The battery easily lasts a full day, the keyboard "
    "is comfortable and the screen is gorgeous. Setup was quick. Customer support answered my question within an "
    "hour and was very friendly. I would definitely recommend it to anyone.";

inline constexpr const char* incident_report =
    "At 09:12 UTC a faulty configuration push caused a major outage of the payments API. Requests failed with "
    "timeouts and error rates rose above 40 percent. The database cluster crashed twice during the rollback, and "
    "customers could not complete purchases for three hours. The response was slow and the impact was severe.";

inline constexpr const char* committee_news =
    "The city council will meet on Tuesday to review the budget for next year. The session starts at 10 a.m. "
    "in the main hall and will be streamed online.";

}  // namespace texts

#endif  // SENTIMENT_TESTS_TEXTS_HPP
