"""use_korean_font: an installed Korean font for matplotlib, or a warning saying how to install one."""

import io
import warnings

import pytest

matplotlib = pytest.importorskip("matplotlib", reason="needs the notebooks extra: pip install -e '.[notebooks]'")
matplotlib.use("Agg")
from kner.plotting import KoreanFontWarning, korean_font, use_korean_font  # noqa: E402
from matplotlib import font_manager  # noqa: E402


def fonts(monkeypatch, *names):
    """Pretend matplotlib found exactly these fonts."""
    entries = [font_manager.FontEntry(fname=f"/fonts/{n}.ttf", name=n) for n in names]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", entries)


def test_an_installed_korean_font_becomes_the_sans_serif_font(monkeypatch):
    fonts(monkeypatch, "DejaVu Sans", "NanumGothic")
    with matplotlib.rc_context():
        assert use_korean_font() == "NanumGothic"
        assert matplotlib.rcParams["font.family"] == ["sans-serif"]
        assert matplotlib.rcParams["font.sans-serif"][0] == "NanumGothic"
        assert "DejaVu Sans" in matplotlib.rcParams["font.sans-serif"]  # still there for glyphs Nanum lacks
        assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_noto_sans_cjk_is_preferred_and_any_of_its_faces_will_do(monkeypatch):
    fonts(monkeypatch, "NanumGothic", "Noto Sans CJK KR")
    assert korean_font() == "Noto Sans CJK KR"
    fonts(monkeypatch, "DejaVu Sans", "Noto Sans CJK JP")  # a .ttc collection named after its first face
    assert korean_font() == "Noto Sans CJK JP"


def test_without_a_korean_font_it_says_how_to_install_one(monkeypatch):
    fonts(monkeypatch, "DejaVu Sans", "Liberation Serif")
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        family = list(matplotlib.rcParams["font.sans-serif"])
        assert use_korean_font() is None
        assert matplotlib.rcParams["font.sans-serif"] == family
        glyph = "Glyph 52649 (\\N{HANGUL SYLLABLE CUNG}) missing from font(s) DejaVu Sans."  # as matplotlib says it
        warnings.warn(glyph, UserWarning, stacklevel=1)
    [warning] = caught  # the hint once; the per-glyph warnings are silenced
    assert warning.category is KoreanFontWarning
    for hint in ("fonts-noto-cjk", "fonts-nanum", "Apple SD Gothic Neo", "Malgun Gothic", "restart"):
        assert hint in str(warning.message)


def test_a_plot_with_hangul_draws_every_glyph_when_a_font_is_installed():
    if korean_font() is None:
        pytest.skip("no Korean font on this machine (apt install fonts-noto-cjk)")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        use_korean_font()
        fig, ax = plt.subplots()
        ax.barh(["충청북도", "소부장 특화단지"], [3, -1])
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    assert not [w for w in caught if "missing from" in str(w.message)]


def test_the_html_report_names_korean_fonts_for_every_system():
    from kner.report import CSS

    for name in ("Noto Sans CJK KR", "NanumGothic", "Apple SD Gothic Neo", "Malgun Gothic"):
        assert f'"{name}"' in CSS
