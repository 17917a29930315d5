#!/usr/bin/env python3
# Writes large, realistic appfacts/1 sessions for the benchmark: a static part (manifest, SDKs, policy,
# store listing) then a long dynamic run of a shopping app with third-party SDKs, deterministic per seed.
"""Usage: gen_session.py --records 1000000 [--seed 7] [--sessions 1] [--mix api_call=30,net=14,...]
                       [--dense] -o out.jsonl

--mix sets the relative weight of each dynamic kind (the default is a typical instrumented run);
--dense packs every record into a few seconds of session time and raises the permission and consent
traffic, so every windowed join of the library sees thousands of candidates (the adversarial case)."""

import argparse
import json
import random
import sys

DEFAULT_MIX = {
    "api_call": 30, "net": 14, "ui": 10, "user_action": 14, "lifecycle": 0.1, "perm_request": 0.5,
    "perm_result": 0.7, "consent": 0.05, "launch": 0.5, "file": 4, "download": 0.2, "gate": 0.1,
}
DENSE_MIX = {
    "api_call": 30, "net": 10, "ui": 8, "user_action": 10, "lifecycle": 8, "perm_request": 10,
    "perm_result": 12, "consent": 6, "launch": 3, "file": 1, "download": 1, "gate": 1,
}


def js(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


APP = "com.jiayou.mall"
APP_FRAMES = [
    ("com.jiayou.mall.MallApplication", "onCreate", "MallApplication.kt"),
    ("com.jiayou.mall.home.HomeFragment", "refreshFeed", "HomeFragment.kt"),
    ("com.jiayou.mall.risk.DeviceInfo", "collect", "DeviceInfo.kt"),
    ("com.jiayou.mall.location.LocationHelper", "lastKnown", "LocationHelper.kt"),
    ("com.jiayou.mall.scan.ScanActivity", "ensureCamera", "ScanActivity.kt"),
    ("com.jiayou.mall.order.OrderService", "submit", "OrderService.kt"),
]
FRAMEWORK_FRAMES = [
    ("android.app.ActivityThread", "handleBindApplication"), ("android.os.Handler", "dispatchMessage"),
    ("android.os.Looper", "loop"), ("java.lang.Thread", "run"),
    ("java.util.concurrent.ThreadPoolExecutor$Worker", "run"),
]
# (sdk id or None for the app itself, party, frames innermost first, weight)
CALLERS = [
    (None, "first", APP_FRAMES[2:4], 30),
    ("umeng", "third", [("com.umeng.commonsdk.statistics.common.DeviceConfig", "getImeiNew"),
                        ("com.umeng.commonsdk.UMConfigure", "init")], 20),
    ("jpush", "third", [("cn.jpush.android.service.DataShare", "getDeviceInfo"),
                        ("cn.jiguang.api.JCoreManager", "onEvent")], 12),
    ("getui", "third", [("com.igexin.push.core.d", "a"), ("com.igexin.sdk.PushService", "onStartCommand")], 8),
    ("pangle", "third", [("com.bytedance.sdk.openadsdk.core.h", "c"),
                         ("com.bytedance.sdk.openadsdk.TTAdSdk", "init")], 10),
    ("amap", "third", [("com.amap.api.location.AMapLocationClient", "startLocation")], 8),
    ("bugly", "third", [("com.tencent.bugly.crashreport.common.info.b", "d")], 6),
    ("msa-oaid", "third", [("com.bun.miitmdid.core.MdidSdkHelper", "InitSdk")], 6),
]
CALLER_WEIGHTS = [c[3] for c in CALLERS]
APIS = [  # class, method, data types, args, weight
    ("android.telephony.TelephonyManager", "getImei", ["id.imei"], None, 8),
    ("android.telephony.TelephonyManager", "getDeviceId", ["id.imei"], None, 6),
    ("android.telephony.TelephonyManager", "getSubscriberId", ["id.imsi"], None, 4),
    ("android.provider.Settings$Secure", "getString", ["id.android_id"], ["android_id"], 14),
    ("android.net.wifi.WifiInfo", "getMacAddress", ["id.mac.wifi"], None, 6),
    ("com.bun.miitmdid.interfaces.IdSupplier", "getOAID", ["id.oaid"], None, 8),
    ("android.location.LocationManager", "getLastKnownLocation", ["loc.precise", "loc.coarse"], ["gps"], 8),
    ("android.content.pm.PackageManager", "getInstalledPackages", ["apps.installed"], None, 5),
    ("android.content.ClipboardManager", "getPrimaryClip", ["clipboard"], None, 3),
    ("android.telephony.TelephonyManager", "getSimOperator", ["net.carrier"], None, 6),
    ("android.telephony.TelephonyManager", "getAllCellInfo", ["loc.cell"], None, 2),
    ("android.os.Build", "getSerial", ["id.serial"], None, 2),
]
API_WEIGHTS = [a[4] for a in APIS]
PERM_GROUPS = [
    ["android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"],
    ["android.permission.CAMERA"], ["android.permission.READ_PHONE_STATE"],
    ["android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE"],
    ["android.permission.RECORD_AUDIO"],
]
HOSTS = [  # host, path, domain, org, sdk, party, data types
    ("api.jiayou-mall.com", "/feed/v3/home", "jiayou-mall.com", None, None, "first", []),
    ("api.jiayou-mall.com", "/risk/v2/report", "jiayou-mall.com", None, None, "first", ["id.android_id"]),
    ("alog.umeng.com", "/unify_logs", "umeng.com", "友盟同欣（北京）科技有限公司", "umeng", "third", ["id.imei"]),
    ("tsis.jpush.cn", "/v1/report", "jpush.cn", "深圳市和讯华谷信息技术有限公司", "jpush", "third", ["id.oaid"]),
    ("api-access.pangolin-sdk-toutiao.com", "/api/ad/union/sdk/get_ads/", "pangolin-sdk-toutiao.com",
     "北京巨量引擎网络技术有限公司", "pangle", "third", ["id.oaid", "loc.coarse"]),
    ("restapi.amap.com", "/v3/geocode/regeo", "amap.com", "高德软件有限公司", "amap", "third", ["loc.precise"]),
    ("img.jiayou-cdn.com", "/p/banner.webp", "jiayou-cdn.com", None, None, "first", []),
]
SCREENS = [
    ("com.jiayou.mall.ui.MainActivity", "activity", "personalized_feed", ["首页", "个性化推荐", "夏季冰丝凉席 券后59元"],
     [("button", "搜索"), ("button", "扫一扫")]),
    ("com.jiayou.mall.ui.MainActivity", "popup", "ad", ["新人专享", "100元红包已到账"], [("button", "立即领取"), ("close", "×")]),
    ("com.jiayou.mall.goods.DetailActivity", "activity", "other", ["商品详情", "加入购物车"], [("button", "立即购买")]),
    ("com.jiayou.mall.ui.MainActivity", "dialog", "permission_rationale", ["开启定位权限", "为您推荐附近门店"],
     [("button", "去开启"), ("button", "暂不开启")]),
    ("com.jiayou.mall.account.LoginActivity", "activity", "login", ["手机号登录"],
     [("button", "获取验证码"), ("checkbox", "我已阅读并同意《用户协议》和《隐私政策》")]),
]
ACTIONS = [("click", "立即领取"), ("click", "搜索"), ("back", None), ("scroll", None), ("home", None),
           ("enter_feature", "扫一扫"), ("click", "去开启"), ("input", None)]


class Session:
    def __init__(self, rng, index, dense):
        self.rng = rng
        self.dense = dense
        self.id = "jiayou-630-bench-%d" % index
        self.seq = 0
        self.t = 0
        self.foreground = True
        self.denied = []  # permission groups the user denied, re-requested later by the app
        self.out = []

    def emit(self, kind, body):
        self.seq += 1
        self.out.append('{"type":"%s","seq":%d%s}\n' % (kind, self.seq, body))

    def timed(self, kind, body):
        self.emit(kind, ',"t":%d%s' % (self.t, body))

    def header(self, duration_ms):
        end_s = 1800 + duration_ms // 1000
        ended = "2025-08-05T%02d:%02d:%02d.000+08:00" % (8 + end_s // 3600 % 16, end_s // 60 % 60, end_s % 60)
        return js({
            "type": "header", "schema": "appfacts/1.0",
            "producers": [{"name": "camille-adapter", "version": "0.4.2"},
                          {"name": "apk-inspector", "version": "2.3.0"},
                          {"name": "policy-parser", "version": "0.6.1"}],
            "session": {"id": self.id, "started_at": "2025-08-05T08:30:00.000+08:00", "ended_at": ended,
                        "mode": "hybrid", "driver": "monkey", "first_run": True, "consent_method": "ui_click"},
            "device": {"platform": "android", "os_version": "9", "api_level": 28, "model": "MI 8",
                       "rooted": True, "instrumentation": "frida"},
            "app": {"id": APP, "name": "家优商城", "version_name": "6.3.0", "version_code": 630,
                    "category": "06-online-shopping", "target_sdk": 31},
            "redaction": "hashed"}) + "\n"

    def static_part(self):
        monitored = [{"api": "%s#%s" % (a[0], a[1]), "data_types": a[2]} for a in APIS]
        self.emit("coverage", ',"monitored":%s,"failed":[],"captured":%s' % (js(monitored), js([
            "api_call", "perm_request", "perm_result", "consent", "lifecycle", "ui", "user_action", "net",
            "launch", "download", "gate", "file"])))
        for perm, group in [("INTERNET", None), ("ACCESS_NETWORK_STATE", None),
                            ("READ_PHONE_STATE", "PHONE"), ("ACCESS_FINE_LOCATION", "LOCATION"),
                            ("ACCESS_COARSE_LOCATION", "LOCATION"), ("CAMERA", "CAMERA"),
                            ("RECORD_AUDIO", "MICROPHONE"), ("READ_EXTERNAL_STORAGE", "STORAGE"),
                            ("WRITE_EXTERNAL_STORAGE", "STORAGE"), ("READ_CONTACTS", "CONTACTS")]:
            body = ',"name":"android.permission.%s","protection":"%s"' % (perm, "dangerous" if group else "normal")
            if group:
                body += ',"group":"android.permission-group.%s"' % group
            self.emit("perm_decl", body + ',"origin":"app"')
        self.emit("component", ',"kind":"activity","name":"com.jiayou.mall.ui.SplashActivity","exported":"true",'
                  '"intent_filters":[{"actions":["android.intent.action.MAIN"],"categories":[],"schemes":[]}]')
        self.emit("component", ',"kind":"service","name":"cn.jpush.android.service.PushService",'
                  '"exported":"true","intent_filters":[],"sdk":"jpush"')
        for sdk, name, vendor, root, cats in [
                ("umeng", "友盟+", "友盟同欣", "com.umeng.", ["analytics"]),
                ("jpush", "极光推送", "极光", "cn.jpush.", ["push"]),
                ("pangle", "穿山甲", "字节跳动", "com.bytedance.sdk.openadsdk.", ["ads"]),
                ("amap", "高德地图", "高德", "com.amap.api.", ["map"]),
                ("bugly", "腾讯Bugly", "腾讯", "com.tencent.bugly.", ["crash"])]:
            self.emit("sdk", ',"id":"%s","name":"%s","vendor":"%s","version":"1.0.0","categories":%s,'
                      '"root_pkg":"%s","party":"third","detect":{"method":"code_signature","score":0.97}'
                      % (sdk, name, vendor, js(cats), root))
        self.emit("call_site", ',"api":{"class":"android.telephony.TelephonyManager","method":"getImei"},'
                  '"data_types":["id.imei"],"in":{"cls":"com.umeng.commonsdk.statistics.common.DeviceConfig",'
                  '"mth":"getImeiNew"},"sdk":"umeng"')
        self.emit("policy_doc", ',"id":"pp-2025-07","url":"https://m.jiayou-mall.com/privacy.html",'
                  '"sha256":"%s","lang":"zh-Hans","scope":"app","version":"2025-07-01","has_pi_rules":true' % ("ab" * 32))
        for entity, dts, sentence in [
                ("we", ["phone.number", "address", "payment"], "在您注册账号、提交订单时，我们会收集您的手机号码、收货地址和支付信息。"),
                ("we", ["id.android_id"], "为保障账号与交易安全，我们会收集您的设备标识符（Android ID）。"),
                ("we", ["loc"], "在您使用“附近门店”功能时，我们会收集您的位置信息。"),
                ("友盟+", ["id"], "友盟+ SDK：收集设备标识符，用于统计分析。")]:
            self.emit("policy_stmt", ',"doc":"pp-2025-07","entity":%s,"action":"collect","data_types":%s,'
                      '"sentence":%s,"confidence":0.91' % (js(entity), js(dts), js(sentence)))
        for target, clicks in [("privacy_policy", 3), ("account_deletion", 4), ("personalization_off", 3),
                               ("consent_withdraw", 5), ("collected_pi_list", 2), ("third_party_list", 2),
                               ("complaint", 3), ("pi_correction", 3)]:
            self.emit("ui_path", ',"target":"%s","found":true,"clicks":%d' % (target, clicks))
        self.emit("account", ',"has_accounts":true,"registration_collects":["phone.number"],'
                  '"deletion_requires":["phone.number"],"deletion_promise_workdays":15,"complaint_promise_workdays":15')
        self.emit("store_listing", ',"store":"xiaomi","shows_developer":true,"shows_version":true,'
                  '"shows_permissions":true,"shows_permission_purposes":true,"shows_privacy_policy":true,'
                  '"shows_functions":true')

    def start(self):
        # The launch every real run begins with: SDKs initialised from Application.onCreate read ids
        # before the privacy dialog is answered (the finding a shopping app typically gets).
        self.timed("lifecycle", ',"state":"launched","activity":"com.jiayou.mall.ui.SplashActivity"')
        self.t += 300
        self.api_call(caller=CALLERS[1], api=APIS[0])
        self.t += 500
        self.timed("ui", ',"screen":{"activity":"com.jiayou.mall.ui.SplashActivity","window":"dialog"},'
                   '"class":"privacy_dialog","texts":["个人信息保护指引","请您在使用前仔细阅读《隐私政策》。"],'
                   '"controls":[{"kind":"link","text":"《隐私政策》"},{"kind":"button","text":"同意"},'
                   '{"kind":"button","text":"不同意"}]')
        self.timed("consent", ',"doc":"privacy_policy","action":"shown","method":"ui_click","ui_seq":%d,'
                   '"policy_version":"2025-07-01"' % self.seq)
        self.t += 4000
        self.timed("user_action", ',"action":"click","target":"同意","inside_control":true')
        self.timed("consent", ',"doc":"privacy_policy","action":"agreed","method":"ui_click",'
                   '"policy_version":"2025-07-01"')

    def api_call(self, caller=None, api=None):
        rng = self.rng
        sdk, party, frames, _ = caller or rng.choices(CALLERS, CALLER_WEIGHTS)[0]
        cls, mth, dts, args, _ = api or rng.choices(APIS, API_WEIGHTS)[0]
        stack = [{"cls": f[0], "mth": f[1]} for f in frames]
        app_frame = APP_FRAMES[rng.randrange(len(APP_FRAMES))]
        stack.append({"cls": app_frame[0], "mth": app_frame[1], "file": app_frame[2], "line": rng.randrange(20, 400)})
        stack.extend({"cls": f[0], "mth": f[1]} for f in FRAMEWORK_FRAMES[:rng.randrange(1, 5)])
        if sdk is None:
            caller_json = '{"cls":"%s","mth":"%s","party":"first"}' % frames[0][:2]
        elif rng.random() < 0.8:
            caller_json = '{"sdk":"%s","party":"third"}' % sdk
        else:  # left for the library to attribute from the stack
            caller_json = '{"party":"unknown"}'
        main = rng.random() < 0.3
        status = "ok" if rng.random() < 0.9 else rng.choice(["null", "placeholder", "denied", "exception"])
        ret = '{"status":"%s"%s}' % (status, ',"value_hash":"sha256:%064x"' % rng.getrandbits(256)
                                     if status == "ok" else "")
        self.timed("api_call", ',"src":"camille:phone","proc":{"pid":8123,"name":"%s"},'
                   '"thread":{"tid":%d,"name":"%s","main":%s},"api":{"class":"%s","method":"%s"}%s,'
                   '"data_types":%s,"ret":%s,"stack":%s,"caller":%s' % (
                       APP, 8123 if main else 8124 + rng.randrange(40), "main" if main else "pool-2-thread-1",
                       "true" if main else "false", cls, mth, ',"args":%s' % js(args) if args else "",
                       js(dts), ret, js(stack), caller_json))

    def net(self):
        rng = self.rng
        host, path, domain, org, sdk, party, dts = HOSTS[rng.randrange(len(HOSTS))]
        matches = [{"dt": dt, "where": "body", "key": dt.split(".")[-1], "enc": "md5"} for dt in dts]
        dest = {"domain": domain, "party": party}
        if org:
            dest["org"] = org
        if sdk:
            dest["sdk"] = sdk
        self.timed("net", ',"src":"mitm","proto":"https","host":"%s","ip":"203.119.%d.%d","port":443,"tls":true,'
                   '"method":"POST","path":"%s","data_types":%s,"matches":%s,"dest":%s' % (
                       host, rng.randrange(256), rng.randrange(256), path, js(dts), js(matches), js(dest)))

    def ui(self):
        activity, window, cls, texts, controls = SCREENS[self.rng.randrange(len(SCREENS))]
        self.timed("ui", ',"screen":{"activity":"%s","window":"%s"},"class":"%s","texts":%s,"controls":%s' % (
            activity, window, cls, js(texts), js([{"kind": k, "text": x} for k, x in controls])))

    def user_action(self):
        action, target = ACTIONS[self.rng.randrange(len(ACTIONS))]
        body = ',"action":"%s"' % action
        if target:
            body += ',"target":%s,"inside_control":true' % js(target)
        if action == "enter_feature":
            body += ',"feature_perms":["android.permission.CAMERA"]'
        self.timed("user_action", body)

    def lifecycle(self):
        self.foreground = not self.foreground
        if self.foreground:
            self.timed("lifecycle", ',"state":"foreground","activity":"com.jiayou.mall.ui.MainActivity"')
        else:
            self.timed("lifecycle", ',"state":"background","activity":"com.jiayou.mall.ui.MainActivity",'
                       '"user_action":true')

    def perm_request(self):
        rng = self.rng
        if self.denied and rng.random() < 0.3:
            perms = self.denied.pop(0)  # the app asks again for what was just denied
        else:
            perms = PERM_GROUPS[rng.randrange(len(PERM_GROUPS))]
        self.timed("perm_request", ',"perms":%s,"caller":{"cls":"com.jiayou.mall.home.HomeFragment",'
                   '"mth":"requestPermissions","party":"first"},"rationale_shown":%s,"user_triggered":%s' % (
                       js(perms), "true" if rng.random() < 0.7 else "false",
                       "true" if rng.random() < 0.6 else "false"))
        self.last_request = perms

    def perm_result(self):
        rng = self.rng
        perms = getattr(self, "last_request", PERM_GROUPS[0])
        result = "granted" if rng.random() < 0.65 else "denied"
        if result == "denied" and len(self.denied) < 8:
            self.denied.append(perms)
        for perm in perms:
            self.timed("perm_result", ',"perm":"%s","result":"%s","via":"user"' % (perm, result))

    def consent(self):
        rng = self.rng
        doc = "privacy_policy" if rng.random() < 0.7 else "personalization"
        action = rng.choice(["shown", "agreed", "agreed", "withdrawn"]) if self.dense else \
            rng.choice(["shown", "agreed", "agreed", "agreed", "withdrawn"])
        self.timed("consent", ',"doc":"%s","action":"%s","method":"ui_click","policy_version":"2025-07-01"'
                   % (doc, action))

    def launch(self):
        rng = self.rng
        if rng.random() < 0.5:
            self.timed("launch", ',"kind":"service","component":"cn.jpush.android.service.PushService",'
                       '"target_pkg":"%s","by":"other_app","trigger":"push"' % APP)
        else:
            self.timed("launch", ',"kind":"activity","component":"com.jiayou.mall.ui.MainActivity",'
                       '"target_pkg":"%s","by":"user","trigger":"user"' % APP)

    def file(self):
        rng = self.rng
        op = rng.choice(["read", "write", "create"])
        self.timed("file", ',"path":"/sdcard/Android/data/%s/cache/img_%d.webp","op":"%s","area":"external"'
                   % (APP, rng.randrange(100000), op))

    def download(self):
        rng = self.rng
        state = rng.choice(["started", "paused", "resumed", "completed"])
        trigger = rng.choice(["button_click", "button_click", "auto", "click_outside"])
        self.timed("download", ',"pkg":"com.shanhai.xiantu","url":"https://dl.adsxyz-cdn.cn/apk/xiantu.apk",'
                   '"state":"%s","trigger":"%s"' % (state, trigger))

    def gate(self):
        self.timed("gate", ',"function":"扫一扫","blocked":true,"reason":"permission_denied",'
                   '"refused":["android.permission.CAMERA"]')


def generate(out, records, seed, sessions, mix, dense):
    kinds = list(mix)
    weights = [mix[k] for k in kinds]
    per_session = max(records // sessions, 60)
    written = 0
    for index in range(sessions):
        rng = random.Random(seed * 1000003 + index)
        session = Session(rng, index, dense)
        session.static_part()
        session.start()
        target = min(per_session, records - written) if index < sessions - 1 else records - written
        mean_gap = 2 if dense else 60
        # The header comes first, so its end time is the expected span plus a minute of slack.
        out.write(session.header(target * mean_gap + 60000))
        makers = {k: getattr(session, k) for k in kinds}
        while session.seq + 1 < target:
            for kind in rng.choices(kinds, weights, k=4096):
                session.t += int(rng.expovariate(1.0 / mean_gap))
                makers[kind]()
                if session.seq + 1 >= target:
                    break
            out.write("".join(session.out))
            session.out.clear()
        out.write("".join(session.out))
        written += session.seq + 1


def parse_mix(text, base):
    mix = dict(base)
    for item in filter(None, text.split(",")):
        kind, _, weight = item.partition("=")
        if kind not in DEFAULT_MIX:
            sys.exit("gen_session: unknown kind %r in --mix (kinds: %s)" % (kind, ", ".join(DEFAULT_MIX)))
        mix[kind] = float(weight)
    return {k: w for k, w in mix.items() if w > 0}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1000000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=1)
    parser.add_argument("--mix", default="")
    parser.add_argument("--dense", action="store_true")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    mix = parse_mix(args.mix, DENSE_MIX if args.dense else DEFAULT_MIX)
    with open(args.output, "w", encoding="utf-8", buffering=1 << 22) as out:
        generate(out, args.records, args.seed, args.sessions, mix, args.dense)


if __name__ == "__main__":
    main()
