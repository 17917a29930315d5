// The stable finding id of appfindings/1: the same violation found again in a later scan gets the
// same id, so dashboards and baselines can follow it across runs.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "runtime/findings/model.h"

namespace edict::findings {

// The UTF-8 string the id hashes: rule id, app id, subject party, sdk, org, domain, the sorted
// data types joined by U+001E and the sorted permission groups joined by U+001E, joined by U+001F.
// Data types and permission groups are sets, so repeats are dropped before joining.
std::string FingerprintInput(std::string_view rule_id, const Finding& finding);
// The same from the identifying fields alone, for a finding not built yet.
std::string FingerprintInput(std::string_view rule_id, std::string_view app_id, const Subject& subject,
                             const std::vector<std::string>& data_types, const std::vector<std::string>& permissions);

// Lowercase hex SHA-256 of FingerprintInput.
std::string Fingerprint(std::string_view rule_id, const Finding& finding);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);
// The same of `pieces` one after the other, without joining them first.
std::string Sha256Hex(std::span<const std::string_view> pieces);

}  // namespace edict::findings
