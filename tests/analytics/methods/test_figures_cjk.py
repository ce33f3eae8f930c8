"""Charts in Chinese: PNG draws CJK glyphs with the packaged font; SVG keeps text as text."""

from __future__ import annotations

import warnings

import pytest

from analytics.methods.figures import CJK_FONT_NAME, cjk_font_path, dist_histogram, index_trends


def test_the_cjk_font_is_installed_locally():
    path = cjk_font_path()
    assert path is not None and path.stat().st_size > 1_000_000


def test_png_draws_chinese_without_missing_glyphs(small_synth):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
        png = index_trends(small_synth.panel, column="Dist", fmt="png", synthetic=True,
                           title="城乡差距（Dist）按地区", xlabel="年份", ylabel="平均值",
                           group_labels={"east": "东部", "central": "中部", "west": "西部"},
                           synthetic_label="模拟数据")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_svg_keeps_chinese_text_as_text(small_synth):
    svg = dist_histogram(small_synth.panel, title="城乡差距的分布", xlabel="城乡差距",
                         ylabel="城市-年份").decode()
    assert "城乡差距的分布" in svg and "城市-年份" in svg
    assert CJK_FONT_NAME in svg  # the font is named, the reader's fonts draw it


@pytest.mark.parametrize("fn", [index_trends, dist_histogram])
def test_default_texts_are_still_english(small_synth, fn):
    svg = fn(small_synth.panel, column="Dist").decode()
    assert "Dist" in svg


def test_the_weights_chart_names_each_indicator_in_the_callers_words():
    from analytics.methods.figures import weights_bar  # noqa: PLC0415

    weights = {"telecom_rev_pc": 0.4, "mobile_users_per100": 0.6}
    svg = weights_bar(weights, labels={"telecom_rev_pc": "人均电信业务收入"}, title="主成分权重",
                      xlabel="权重", synthetic=True, synthetic_label="模拟数据").decode()
    assert "人均电信业务收入" in svg and "mobile_users_per100" in svg
    assert "主成分权重" in svg and "模拟数据" in svg and "0.600" in svg
    png = weights_bar(weights, fmt="png")
    assert png[:4] == b"\x89PNG"
