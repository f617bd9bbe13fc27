#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app in Simplified Chinese (LANGUAGE=zh_CN, catalogue from the build
tree): the main window shows translated strings (a screenshot is saved), and
so do the sentences that come from the core (src/core is translated through
the same catalogue): the address error for a tel: link without an account,
and the end reason shown in the call window."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, screenshot, wait_for  # noqa: E402


def main():
    with UiTest("zh_cn") as t:
        app = t.start_app(extra_env={"LANGUAGE": "zh_CN", "LANG": "C.UTF-8"},
                          args=["tel:+4930123"])
        app.wait_window("MTAVIPClient")
        app.wait_find("回声测试", "label")
        app.wait_find("添加联系人", "push button")
        labels = app.labels()
        check("联系人" in labels and "通话记录" in labels,
              "the Contacts and History headings are not in Chinese", labels)
        check(any(l.startswith("未设置账户") for l in labels),
              "the no-account status line is not in Chinese", labels)
        # core: mt-sip-uri.c's sentence for a tel: number without an account
        wait_for(lambda: any(l.startswith("要拨打电话号码") and "+4930123" in l
                             for l in app.labels()), 10, "the tel: sentence in Chinese")
        screenshot("main-window-zh_CN.png")

        # core: mt-enums.c's end-reason sentence in the call window
        app.click("语音呼叫 回声测试")
        app.call_state(lambda c: c["state"] == "active" and "echo@" in c["remote"], 20,
                       "the echo call to be active")
        app.click("挂断")
        wait_for(lambda: "您挂断了电话。" in app.labels(), 10,
                 "the end reason in Chinese in the call window")


if __name__ == "__main__":
    main()
