// Finding ids: SHA-256 over exactly the fields findings-1.md names, checked against vectors computed
// independently with `printf ... | sha256sum`.
#include <doctest/doctest.h>

#include "runtime/findings/fingerprint.h"

using namespace edict::findings;

namespace {

Finding UmengImei() {
  Finding finding;
  finding.app = {"com.example.shop", 412, "s-01"};
  finding.subject.party = Party::kThird;
  finding.subject.sdk = "umeng";
  finding.subject.cls = "com.umeng.commonsdk.statistics.common.DeviceConfig";
  finding.subject.mth = "getImei";
  // Unsorted and with a repeat: the id treats them as sets.
  finding.data_types = {"loc.precise", "id.imei", "loc.precise"};
  finding.permissions = {"android.permission-group.PHONE", "android.permission-group.LOCATION"};
  finding.message = "友盟+ SDK 在用户同意前读取 IMEI";
  return finding;
}

}  // namespace

TEST_CASE("SHA-256 itself") {
  // printf abc | sha256sum
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("SHA-256 of pieces is that of the pieces joined, however they are cut") {
  std::string joined(200, '\0');
  for (size_t i = 0; i < joined.size(); ++i) joined[i] = static_cast<char>(i * 7);
  std::string_view bytes = joined;
  std::string_view uneven[] = {bytes.substr(0, 1), bytes.substr(1, 0), bytes.substr(1, 63), bytes.substr(64, 70),
                               bytes.substr(134)};
  CHECK(Sha256Hex(uneven) == Sha256Hex(joined));
  std::string_view abc[] = {"a", "", "bc"};
  CHECK(Sha256Hex(abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex(std::span<const std::string_view>()) == Sha256Hex(""));
}

TEST_CASE("the hashed string joins the fields with U+001F and the sorted sets with U+001E") {
  CHECK(FingerprintInput("collect-before-consent", UmengImei()) ==
        "collect-before-consent\x1f"
        "com.example.shop\x1f"
        "third\x1f"
        "umeng\x1f\x1f\x1f"
        "id.imei\x1eloc.precise\x1f"
        "android.permission-group.LOCATION\x1e"
        "android.permission-group.PHONE");
}

TEST_CASE("the id matches a hand-computed vector") {
  // printf 'collect-before-consent\x1fcom.example.shop\x1fthird\x1fumeng\x1f\x1f\x1fid.imei\x1eloc.precise
  //   \x1fandroid.permission-group.LOCATION\x1eandroid.permission-group.PHONE' | sha256sum
  CHECK(Fingerprint("collect-before-consent", UmengImei()) ==
        "aed24e988b80b46029f5f2b153082df87c97d37ae1c928e87b201941468ce603");
}

TEST_CASE("UTF-8 fields and empty sets hash as their bytes") {
  Finding finding;
  finding.app.id = "示例.app";
  finding.subject.party = Party::kThird;
  finding.subject.org = "友盟";
  finding.subject.domain = "umeng.com";
  finding.data_types = {"id.imei"};
  // printf 'share-before-consent\x1f\xe7\xa4\xba\xe4\xbe\x8b.app\x1fthird\x1f\x1f\xe5\x8f\x8b\xe7\x9b\x9f
  //   \x1fumeng.com\x1fid.imei\x1f' | sha256sum
  CHECK(Fingerprint("share-before-consent", finding) ==
        "26fe8baffee8b2e89cbd476f4ad2c23b16c70dfad2813338f7e463c32f57d697");
}

TEST_CASE("the id ignores where in the code and when, but not who, what or which rule") {
  const std::string id = Fingerprint("collect-before-consent", UmengImei());
  Finding moved = UmengImei();
  moved.subject.cls = "com.umeng.Other";
  moved.subject.mth = "run";
  moved.message = "another message";
  moved.app.session = "s-02";
  moved.app.version_code = 413;
  moved.evidence = {{"b.jsonl", 9, 8, "api_call", EvidenceRole::kTrigger, 100}};
  CHECK(Fingerprint("collect-before-consent", moved) == id);

  Finding other_sdk = UmengImei();
  other_sdk.subject.sdk = "jpush";
  CHECK(Fingerprint("collect-before-consent", other_sdk) != id);
  Finding other_data = UmengImei();
  other_data.data_types = {"id.imei"};
  CHECK(Fingerprint("collect-before-consent", other_data) != id);
  CHECK(Fingerprint("sdk-collect-before-consent", UmengImei()) != id);
  // Field boundaries matter: moving text from one field to the next changes the id.
  Finding shifted = UmengImei();
  shifted.subject.sdk = "";
  shifted.subject.org = "umeng";
  CHECK(Fingerprint("collect-before-consent", shifted) != id);
}
