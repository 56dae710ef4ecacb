#pragma once
// Whether this test binary (and so the host it starts, built in the same
// tree) is instrumented by a sanitizer. Instrumented hosts on a loaded
// 2-core CI machine run several times slower, so a test whose check rests
// on a duration (a run that must still be in flight, a cool-down that must
// outlast a few requests) scales that duration with slow_build_ms().

namespace agenthost::testing {

// gcc says so with __SANITIZE_*__, clang with __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizerBuild = true;
#else
inline constexpr bool kSanitizerBuild = false;
#endif
#else
inline constexpr bool kSanitizerBuild = false;
#endif

// A number of milliseconds a test relies on (a sleep written into a
// request), stretched four times in a sanitizer build.
constexpr int slow_build_ms(int ms) { return kSanitizerBuild ? ms * 4 : ms; }

}  // namespace agenthost::testing
