// The reserved words of the language (SPEC 4): never names. The words of SPEC 4.4's
// forms (`rounded`, `counted`, `mean`, …) are contextual and are not listed here.
#pragma once
#include <algorithm>
#include <array>
#include <string_view>

namespace slac::grammar {

// Sorted, for a binary search (a test checks the order).
inline constexpr std::array<std::string_view, 75> reserved_words = {
    "across",   "all",     "and",       "any",     "at",    "attribute", "below",   "by",      "calendar",
    "cap",      "contract", "daily",    "day",     "days",  "device",    "devices", "during",  "every",
    "except",   "excluding", "false",   "for",     "fri",   "gaps",      "holidays", "hour",   "hours",
    "ignoring", "import",  "in",        "kpi",     "lasting", "least",   "longer",  "mon",     "month",
    "more",     "most",    "no",        "not",     "of",    "on",        "only",    "or",      "outage",
    "outages",  "param",   "penalty",   "quarter", "rolling", "sat",     "seen",    "signal",  "site",
    "sites",    "sla",     "state",     "sun",     "test",  "than",      "the",     "thu",     "time",
    "true",     "tue",     "under",     "warn",    "wed",   "week",      "weeks",   "weighted", "where",
    "with",     "within",  "year"};

inline bool is_reserved_word(std::string_view word) {
  return std::binary_search(reserved_words.begin(), reserved_words.end(), word);
}

}  // namespace slac::grammar
