// The sessions of tests/plan/memo_front: 600 permissions "p.<i>" denied (i * k) % 5 times and their
// twins "p.<i>.x" (i * k + 1) % 4 times, then 1200 requests of one or two permissions.
#pragma once

#include <string>

#include "tests/plan/fact_lines.h"

namespace edict::testing {

inline std::string MemoFrontSession(const std::string& id, int k) {
  std::string text = HeaderLine(id);
  int seq = 0;
  for (int i = 0; i < 600; ++i) {
    std::string perm = "p." + std::to_string(i);
    for (int d = 0; d < (i * k) % 5; ++d, ++seq) text += ResultLine(seq + 1, seq + 1, perm, "denied");
    for (int d = 0; d < (i * k + 1) % 4; ++d, ++seq) text += ResultLine(seq + 1, seq + 1, perm + ".x", "denied");
  }
  for (int r = 0; r < 1200; ++r) {
    std::string perms = "[\"p." + std::to_string((r * 7) % 600) + "\"";
    if (r % 3 != 0) perms += ",\"p." + std::to_string((r * 13 + 5) % 600) + "\"";
    ++seq;
    text += RequestLine(seq, seq, perms + "]");
  }
  return text;
}

}  // namespace edict::testing
