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
    # static/js/drafts.js through templates/base.html (drafts kept offline)
    "Saved on this phone; it will be sent when the connection returns.": "已保存在本机，联网后自动发送",
    "Sent: %(title)s": "已发送：%(title)s",
    "See it": "查看",
    "Spending record": "支出记录",
    "Repair request": "报修单",
    "Log in again to send it.": "请重新登录后再发送。",
    "Not accepted:": "未被接受：",
    "Delete draft": "删除草稿",
    "Write it again": "重新填写",
    "Drafts on this phone": "本机草稿",
    # synergy/core/submissions.py
    "This form was already sent as another record. Write it again as a new one.":
        "这份表单已作为另一条记录发送过。请重新填写一份新的。",
    "The idempotency key is too long (at most %(n)s characters).": "幂等键太长（最多 %(n)s 个字符）。",
    # synergy/core/models.py
    "large type and high contrast": "大字和高对比度",
    "submission key": "提交键",
    "submission keys": "提交键",
    "idempotency key": "幂等键",
    # templates/base.html: the large-type toggle (synergy/core/display.py)
    "Large type": "大字",
    "Large type and high contrast": "大字和高对比度",
}
