// A hand-built run for the writer tests and the SARIF validation: two apps, four sessions (one failed
// to load, one with a rule error, undetermined rules everywhere), fail and review findings with
// dynamic and static evidence, Chinese titles and messages. Findings are deliberately listed out of
// report order.
#pragma once

#include "runtime/findings/model.h"

namespace edict::findings::sample {

inline RuleInfo Rule(std::string id, std::string title, Kind kind, Severity severity,
                     std::vector<std::string> cite, std::vector<std::string> tags, std::string help) {
  RuleInfo rule;
  rule.id = std::move(id);
  rule.pack = "cn-app-privacy";
  rule.version = "1.0.0";
  rule.title = std::move(title);
  rule.kind = kind;
  rule.severity = severity;
  rule.cite = std::move(cite);
  rule.tags = std::move(tags);
  rule.help = std::move(help);
  return rule;
}

inline Evidence Record(std::string file, uint64_t line, int64_t seq, std::string type, EvidenceRole role,
                       std::optional<int64_t> t) {
  return Evidence{std::move(file), line, seq, std::move(type), role, t};
}

enum SampleRule : uint32_t {
  kPolicyMissing,
  kCollectBeforeConsent,
  kSdkCollectBeforeConsent,
  kRerequestAfterDenial,
  kCollectFrequencyExcessive,
  kShareBeforeConsent,
  kOverDeclaredPermission,
  kDualListMissing,
  kRuleCount,
};

inline RunInfo SampleInfo() {
  RunInfo info;
  info.engine = {"edict", "0.1.0", "interp"};
  info.rulesets = {{"cn-app-privacy", "1.0.0",
                    "9f2c4e1d7b3a5f60c8e2d4b6a8f0e1c3d5b7a9f1e3c5d7b9a1f3e5c7d9b1a3f5"}};
  info.profile = "baseline";
  info.params = {{"rerequest_window", std::string("172800s")},
                 {"max_reads", int64_t{10}},
                 {"read_window", std::string("300s")},
                 {"refuse_texts", std::vector<std::string>{"不同意", "拒绝", "暂不"}}};
  const Kind fail = Kind::kFail;
  const Kind review = Kind::kReview;
  info.rules = {
      Rule("policy-missing", "APP无隐私政策或隐私政策中无个人信息收集使用规则", fail, Severity::kHigh,
           {"CAC-191:1.1"}, {"privacy", "notice"}, "APP 应提供隐私政策，并在其中说明个人信息收集使用规则。"),
      Rule("collect-before-consent", "APP在征得用户同意前收集个人信息", fail, Severity::kHigh,
           {"MIIT-164:1/S1", "MIIT-164:1/S2", "CAC-191:3.1"}, {"privacy", "consent"},
           "用户同意隐私政策之前，APP 自身不得收集个人信息。"),
      Rule("sdk-collect-before-consent", "SDK在征得用户同意前收集个人信息", fail, Severity::kHigh,
           {"MIIT-164:1/S4", "MIIT-164:1/S5", "CAC-191:3.1"}, {"privacy", "consent", "sdk"},
           "用户同意隐私政策之前，第三方 SDK 不得收集个人信息；SDK 应在同意后再初始化。"),
      Rule("rerequest-after-denial", "用户拒绝权限后短时间内再次申请", fail, Severity::kMedium,
           {"MIIT-164:5/S5", "MIIT-164:5/S6"}, {"privacy", "permissions"}, ""),
      Rule("collect-frequency-excessive", "收集个人信息的频次超出业务功能实际需要", fail, Severity::kMedium,
           {"MIIT-164:2/S2", "MIIT-164:2/S4", "CAC-191:4.4"}, {"privacy"}, ""),
      Rule("share-before-consent", "未经用户同意向第三方发送个人信息", fail, Severity::kCritical,
           {"MIIT-164:3/S1", "CAC-191:5.1"}, {"privacy", "sharing"},
           "用户同意之前不得向第三方发送个人信息。"),
      Rule("over-declared-permission", "声明与业务功能无关的权限", review, Severity::kLow, {"MIIT-164:5/S8"},
           {"privacy", "permissions"}, "清单中声明、但从未申请也未被调用的危险权限需人工确认是否必要。"),
      Rule("dual-list-missing", "未在二级菜单提供个人信息收集清单或第三方共享清单", review, Severity::kLow,
           {"MIIT-2021-PERCEPTION:dual-list", "TAF-124"}, {"privacy", "notice"}, ""),
  };
  return info;
}

inline std::vector<RuleOutcome> Outcomes(std::vector<std::pair<Outcome, std::string>> list) {
  std::vector<RuleOutcome> outcomes;
  for (auto& [outcome, reason] : list) outcomes.push_back({outcome, std::move(reason)});
  return outcomes;
}

inline SessionResult ShopFirstRun() {
  SessionResult session;
  session.summary.id = "s-01";
  session.summary.app = "com.example.shop";
  session.summary.file = "facts/shop-first-run.jsonl";
  session.summary.records = 12;
  session.summary.outcomes = Outcomes({
      {Outcome::kUndetermined, "policy_doc not captured"},
      {Outcome::kPassed, ""},
      {Outcome::kViolated, ""},
      {Outcome::kViolated, ""},
      {Outcome::kPassed, ""},
      {Outcome::kViolated, ""},
      {Outcome::kNotApplicable, ""},
      {Outcome::kUndetermined, "ui_path not captured"},
  });
  const AppRef app{"com.example.shop", 412, "s-01"};
  const std::string file = session.summary.file;

  Finding share;
  share.rule = kShareBeforeConsent;
  share.kind = Kind::kFail;
  share.severity = Severity::kCritical;
  share.message = "用户同意隐私政策前，APP 向 umeng.com（友盟+）发送了 IMEI";
  share.app = app;
  share.subject = {Party::kThird, "umeng", "", "umeng.com", "", "", ""};
  share.data_types = {"id.imei"};
  share.window = {4800, 4800, 1};
  share.evidence = {Record(file, 7, 6, "net", EvidenceRole::kTrigger, 4800)};
  share.cite = {"MIIT-164:3/S1", "CAC-191:5.1"};

  Finding rerequest;
  rerequest.rule = kRerequestAfterDenial;
  rerequest.kind = Kind::kFail;
  rerequest.severity = Severity::kMedium;
  rerequest.message = "用户于 8.000s 拒绝定位权限后，APP 在 1.500s 内再次申请";
  rerequest.app = app;
  rerequest.subject = {Party::kFirst, "", "", "", "com.example.shop.MainActivity", "requestLocation", ""};
  rerequest.permissions = {"android.permission-group.LOCATION"};
  rerequest.window = {8000, 9500, 1};
  rerequest.evidence = {Record(file, 11, 10, "perm_request", EvidenceRole::kTrigger, 9500),
                        Record(file, 10, 9, "perm_result", EvidenceRole::kContext, 8000)};
  rerequest.cite = {"MIIT-164:5/S5", "MIIT-164:5/S6"};
  rerequest.params = {{"rerequest_window", std::string("172800s")}};

  Finding sdk_imei;
  sdk_imei.rule = kSdkCollectBeforeConsent;
  sdk_imei.kind = Kind::kFail;
  sdk_imei.severity = Severity::kHigh;
  sdk_imei.message = "友盟+ SDK 在用户同意隐私政策前读取 IMEI（TelephonyManager#getImei），共 2 次";
  sdk_imei.app = app;
  sdk_imei.subject = {Party::kThird, "umeng", "", "", "com.umeng.commonsdk.statistics.common.DeviceConfig",
                      "getImei", ""};
  sdk_imei.data_types = {"id.imei"};
  sdk_imei.window = {402, 3100, 2};
  sdk_imei.evidence = {Record(file, 5, 4, "api_call", EvidenceRole::kTrigger, 3100),
                       Record(file, 4, 3, "api_call", EvidenceRole::kTrigger, 402),
                       Record(file, 8, 7, "consent", EvidenceRole::kContext, 5210)};
  sdk_imei.cite = {"MIIT-164:1/S4", "MIIT-164:1/S5", "CAC-191:3.1"};
  sdk_imei.notes = {"采集方提供的 ctx.consent=after 与同意记录不一致，以同意记录为准"};

  Finding sdk_oaid = sdk_imei;
  sdk_oaid.message = "移动安全联盟OAID SDK 在用户同意隐私政策前读取 OAID";
  sdk_oaid.subject = {Party::kThird, "msa-oaid", "", "", "com.bun.miitmdid.core.MdidSdkHelper", "InitSdk", ""};
  sdk_oaid.data_types = {"id.oaid"};
  sdk_oaid.window = {650, 650, 1};
  sdk_oaid.evidence = {Record(file, 6, 5, "api_call", EvidenceRole::kTrigger, 650),
                       Record(file, 8, 7, "consent", EvidenceRole::kContext, 5210)};
  sdk_oaid.notes = {};

  session.findings = {share, rerequest, sdk_oaid, sdk_imei};
  return session;
}

inline SessionResult ShopStatic() {
  SessionResult session;
  session.summary.id = "s-02";
  session.summary.app = "com.example.shop";
  session.summary.file = "facts/shop-static.jsonl";
  session.summary.records = 40;
  session.summary.outcomes = Outcomes({
      {Outcome::kUndetermined, "policy_doc not captured"},
      {Outcome::kUndetermined, "api_call not captured"},
      {Outcome::kUndetermined, "api_call not captured"},
      {Outcome::kUndetermined, "perm_request not captured"},
      {Outcome::kError, ""},
      {Outcome::kUndetermined, "net not captured"},
      {Outcome::kViolated, ""},
      {Outcome::kUndetermined, "ui_path not captured"},
  });
  session.summary.rule_errors = {{"collect-frequency-excessive", session.summary.file, 23, "integer overflow"}};

  Finding over_declared;
  over_declared.rule = kOverDeclaredPermission;
  over_declared.kind = Kind::kReview;
  over_declared.severity = Severity::kLow;
  over_declared.message = "声明了危险权限 READ_CONTACTS，但从未申请，也没有调用需要它的 API";
  over_declared.app = {"com.example.shop", 412, "s-02"};
  over_declared.subject = {Party::kFirst, "", "", "", "", "", ""};
  over_declared.permissions = {"android.permission-group.CONTACTS"};
  over_declared.window = {std::nullopt, std::nullopt, 1};
  over_declared.evidence = {
      Record(session.summary.file, 3, 2, "perm_decl", EvidenceRole::kTrigger, std::nullopt)};
  over_declared.cite = {"MIIT-164:5/S8"};
  session.findings = {over_declared};
  return session;
}

inline SessionResult GameBroken() {
  SessionResult session;
  session.summary.id = "g-01";
  session.summary.app = "com.example.game";
  session.summary.file = "facts/game-broken.jsonl";
  session.summary.records = 0;
  session.summary.error = "facts/game-broken.jsonl:1: header: missing field 'schema'";
  return session;
}

inline SessionResult GameQuiet() {
  SessionResult session;
  session.summary.id = "g-02";
  session.summary.app = "com.example.game";
  session.summary.file = "facts/game-quiet.jsonl";
  session.summary.records = 3;
  session.summary.outcomes = Outcomes({
      {Outcome::kUndetermined, "policy_doc not captured"},
      {Outcome::kPassed, ""},
      {Outcome::kPassed, ""},
      {Outcome::kNotApplicable, ""},
      {Outcome::kPassed, ""},
      {Outcome::kUndetermined, "net not captured"},
      {Outcome::kNotApplicable, ""},
      {Outcome::kUndetermined, "ui_path not captured"},
  });
  return session;
}

inline RunResult SampleRun() {
  RunResult run;
  run.info = SampleInfo();
  run.sessions = {ShopFirstRun(), ShopStatic(), GameBroken(), GameQuiet()};
  run.end.skipped_records = {{"facts/shop-first-run.jsonl", 9, "unknown field 'dataTypes' in api_call (did you mean 'data_types'?)"}};
  run.end.unknown_kinds = {{"screenshot_meta", 3}};
  run.end.unknown_data_types = {{"id.foo", 2}};
  run.end.limits_hit = {{"s-02", "findings_per_rule", 10000}};
  return run;
}

}  // namespace edict::findings::sample
