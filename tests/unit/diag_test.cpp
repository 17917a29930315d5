// The diagnostic table, message formatting, suggestions and the text/JSON renderers.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"

using namespace edict::diag;

TEST_CASE("every diagnostic has a unique code and a message") {
  std::set<std::string> codes;
  for (const DiagInfo& info : AllDiagnostics()) {
    CHECK(codes.insert(info.code).second);
    CHECK(std::string(info.format).size() > 0);
  }
}

TEST_CASE("a diagnostic engine takes over another's diagnostics and counts") {
  DiagnosticEngine first, second;
  first.Report(DiagId::kCannotReadFile, {}, {"a", "b"});
  second.Report(DiagId::kUnusedBinding, {}, {"x"});
  second.Report(DiagId::kCannotReadFile, {}, {"c", "d"});
  first.Append(std::move(second));
  REQUIRE(first.diagnostics().size() == 3);
  CHECK(first.error_count() == 2);
  CHECK(first.warning_count() == 1);
  CHECK(first.diagnostics()[1].id == DiagId::kUnusedBinding);
  CHECK(second.diagnostics().empty());
  CHECK(second.error_count() == 0);
}

TEST_CASE("messages substitute numbered arguments") {
  std::vector<std::string> args = {"consnet", "record kind"};
  CHECK(FormatMessage("unknown {1} '{0}'", args) == "unknown record kind 'consnet'");
}

TEST_CASE("did-you-mean picks the closest plausible name") {
  std::vector<std::string> kinds = {"consent", "api_call", "perm_result", "perm_request"};
  CHECK(ClosestMatch("consnet", kinds) == "consent");
  CHECK(ClosestMatch("perm_reqest", kinds) == "perm_request");
  CHECK_FALSE(ClosestMatch("zzz", kinds).has_value());
  std::vector<std::string> keys = {"title", "severity", "high"};
  CHECK(ClosestMatch("titel", keys) == "title");  // swapped neighbours count as one edit
  CHECK(ClosestMatch("hihg", keys) == "high");
}

TEST_CASE("text rendering shows location, line and a caret under the range, CJK aware") {
  SourceManager sources;
  FileId file = sources.Add("r.edict", "rule a {\n  title: \"标题\" + consnet\n}\n");
  DiagnosticEngine engine;
  uint32_t begin = static_cast<uint32_t>(std::string_view(sources.text(file)).find("consnet"));
  Diagnostic& d = engine.Report(DiagId::kUnexpectedCharacter, {file, begin, begin + 7}, {"x"});
  d.help = "did you mean 'consent'?";
  std::string text = RenderText(d, sources, false);
  CHECK(text.find("r.edict:2:17: error[E003]: unexpected character 'x'") == 0);
  // 标题 is two characters but four terminal cells wide.
  CHECK(text.find(" 2 |   title: \"标题\" + consnet\n   | " + std::string(18, ' ') + "^~~~~~~\n") !=
        std::string::npos);
  CHECK(text.find("= help: did you mean 'consent'?") != std::string::npos);
  nlohmann::json j = RenderJson(d, sources);
  CHECK(j["line"] == 2);
  CHECK(j["column"] == 17);
  CHECK(j["code"] == "E003");
}
