#!/usr/bin/python3
"""The app in Simplified Chinese (LANGUAGE=zh_CN, catalogue from the build
tree): the main window shows translated strings; a screenshot is saved."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import App, Environment, log, screenshot  # noqa: E402


def main():
    env = Environment()
    app = None
    try:
        app = App(env, extra_env={"LANGUAGE": "zh_CN", "LANG": "C.UTF-8"})
        app.wait_window("MTAVIPClient")
        app.wait_find("回声测试", "label")
        app.wait_find("添加联系人", "push button")
        labels = app.labels()
        assert "联系人" in labels and "通话记录" in labels, labels
        assert any(l.startswith("未设置账户") for l in labels), labels
        screenshot("main-window-zh_CN.png")
        log("PASS")
    except BaseException:
        if app:
            print("labels:", app.labels(), "\n---- app output ----\n" + app.output(), flush=True)
        raise
    finally:
        if app:
            app.quit()
        env.close()


if __name__ == "__main__":
    main()
