// The session both residuals tests (interp_residuals_test, jit_residuals_test) run the pack of
// this folder on: results at t 4 (denied), 6 (granted: its upper bound's value is an error) and
// 10 (denied), each after and among requests at t 0, 3, 4 and 10.
#pragma once

#include <string>

#include "tests/plan/fact_lines.h"

namespace edict::testing {

inline std::string ResidualsFacts() {
  auto request = [](int seq, int t) { return RequestLine(seq, t, R"(["android.permission.CAMERA"])"); };
  return HeaderLine() + request(1, 0) + request(2, 3) + ResultLine(3, 4, "android.permission.CAMERA", "denied") +
         request(4, 4) + ResultLine(5, 6, "android.permission.CAMERA", "granted") + request(6, 10) +
         ResultLine(7, 10, "android.permission.CAMERA", "denied");
}

}  // namespace edict::testing
