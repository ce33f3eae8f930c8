"""New gettext msgids of branch i-pwa (helper "pwa", issue 20), with their zh-hans translations.

The lead merges them into the catalogues (locale/zh_Hans for synergy/ and templates/, each app's
own locale/ for its strings)."""

T = {
    # synergy/core/pwa.py, templates/pwa/offline.html, templates/base.html
    "No connection": "没有网络",
    "This page was not read on this phone while it was online, so it cannot be shown now.":
        "这一页在联网时没有在本机打开过，现在无法显示。",
    "Pages you opened before (your desk, orders, bookings, tickets, the rural channel) can still "
    "be read offline. Forms you fill in are kept on this phone and sent when the connection "
    "returns.":
        "之前打开过的页面（我的工作台、订单、预订、报修、乡村频道）离线时仍可阅读。"
        "填写的表单会保存在本机，联网后自动发送。",
    "Open my desk": "打开我的工作台",
    "Offline: you are reading what this phone kept.": "离线：您正在阅读本机保存的内容。",
    "Offline, as of %(time)s": "离线，内容截至 %(time)s",
    "There are %(n)s drafts on this phone not sent yet. Logging out deletes them. Log out anyway?":
        "本机还有 %(n)s 份草稿没有发送。退出登录会删除它们。仍要退出吗？",
}
