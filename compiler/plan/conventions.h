// The few names of the rule library the engine itself relies on, for rule-catalog S1's outcome
// rules and for the loader's list of known data types. A pack that declares none of them still
// compiles; the corresponding check is then simply not made.
#pragma once

#include <string_view>
#include <utility>

namespace edict::plan {

// The set of every data-type id of the format: the loader counts ids outside it as unknown.
inline constexpr std::string_view kKnownDataTypesSet = "known_data_types";
// The personal-information data types (S2), for the hooks-failed check of S1.
inline constexpr std::string_view kPersonalInfoSet = "personal_info";
// The record kind that collects (S2): a rule reading it may be undetermined by failed hooks.
inline constexpr std::string_view kCollectingKind = "api_call";
// The meta kind describing the capture, and its fields the hooks-failed check reads.
inline constexpr std::string_view kCoverageKind = "coverage";
// The header fields a finding's `app` is made of (appfindings/1).
inline constexpr std::string_view kAppIdPath = "app.id";
inline constexpr std::string_view kAppVersionCodePath = "app.version_code";
// S3, S4: a kind not captured is stood in for by this envelope field when records carry it.
inline constexpr std::pair<std::string_view, std::string_view> kContextFallbacks[] = {
    {"consent", "ctx.consent"},
    {"lifecycle", "ctx.app_state"},
};

}  // namespace edict::plan
