// The closed list of citation taxonomies (rule-catalog.md "Conventions") and the split of a cite key
// "TAXONOMY:id" into its parts.
#pragma once

#include <span>
#include <string_view>

namespace edict::findings {

struct TaxonomyInfo {
  std::string_view name;          // "MIIT-164": the prefix of cite keys
  std::string_view full_name;     // the document's title
  std::string_view organization;  // who issued it
};

std::span<const TaxonomyInfo> KnownTaxonomies();

// Null when `name` is not in the closed list.
const TaxonomyInfo* FindTaxonomy(std::string_view name);

struct CiteKey {
  std::string_view taxonomy;
  // The clause; a cite of a whole document ("TAF-124") names the document itself.
  std::string_view id;
};

CiteKey SplitCite(std::string_view cite);

}  // namespace edict::findings
