// Names of the regulations and standards the rules cite, for SARIF taxonomies and text reports.
#include "runtime/findings/taxonomies.h"

namespace edict::findings {
namespace {

constexpr TaxonomyInfo kTaxonomies[] = {
    {"MIIT-164", "关于开展纵深推进APP侵害用户权益专项整治行动的通知（工信部信管函〔2020〕164号）",
     "工业和信息化部"},
    {"CAC-191", "App违法违规收集使用个人信息行为认定方法（国信办秘字〔2019〕191号）",
     "国家互联网信息办公室 工业和信息化部 公安部 国家市场监督管理总局"},
    {"CAC-2021-NEC", "常见类型移动互联网应用程序必要个人信息范围规定",
     "国家互联网信息办公室 工业和信息化部 公安部 国家市场监督管理总局"},
    {"MIIT-2021-DRAFT", "移动互联网应用程序个人信息保护管理暂行规定（征求意见稿）", "工业和信息化部"},
    {"MIIT-26", "工业和信息化部关于进一步提升移动互联网应用服务能力的通知（工信部信管函〔2023〕26号）",
     "工业和信息化部"},
    {"MIIT-2021-PERCEPTION", "关于开展信息通信服务感知提升行动的通知（2021）", "工业和信息化部"},
    {"TAF-078", "T/TAF 078 APP用户权益保护测评规范", "电信终端产业协会"},
    {"TAF-124", "T/TAF 124-2022 移动应用程序(APP)服务感知提升测评规范", "电信终端产业协会"},
    {"TC260-PERM", "网络安全标准实践指南—移动互联网应用程序(App)系统权限申请使用指南",
     "全国信息安全标准化技术委员会"},
    {"GB/T-35273", "GB/T 35273-2020 信息安全技术 个人信息安全规范",
     "国家市场监督管理总局 国家标准化管理委员会"},
    {"GB/T-41391", "GB/T 41391-2022 信息安全技术 移动互联网应用程序(App)收集个人信息基本要求",
     "国家市场监督管理总局 国家标准化管理委员会"},
};

}  // namespace

std::span<const TaxonomyInfo> KnownTaxonomies() { return kTaxonomies; }

const TaxonomyInfo* FindTaxonomy(std::string_view name) {
  for (const TaxonomyInfo& info : kTaxonomies) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

CiteKey SplitCite(std::string_view cite) {
  size_t colon = cite.find(':');
  std::string_view taxonomy = cite.substr(0, colon);
  if (colon == std::string_view::npos || colon + 1 == cite.size()) return {taxonomy, taxonomy};
  return {taxonomy, cite.substr(colon + 1)};
}

}  // namespace edict::findings
