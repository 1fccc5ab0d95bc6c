"""Hangul in plots: find an installed Korean (CJK) font for matplotlib, or say how to install one.

Matplotlib's default font (DejaVu Sans) has no Hangul, so Korean labels come out as boxes. `use_korean_font()`
picks the first of KOREAN_FONTS that matplotlib knows. The same names head the font list of the HTML report
(kner.report), which the browser resolves the same way. kner bundles no font.
"""

from __future__ import annotations

import warnings

# Font names as matplotlib and CSS know them: Noto Sans CJK (Debian/Ubuntu fonts-noto-cjk; matplotlib names a
# .ttc collection after its first face, often JP, and every face has all of Hangul), Google's Noto Sans KR, Nanum
# (fonts-nanum), Apple SD Gothic Neo (macOS), Malgun Gothic (Windows), then older or rarer ones.
KOREAN_FONTS = (
    "Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans KR", "NanumGothic", "NanumBarunGothic",
    "Apple SD Gothic Neo", "AppleGothic", "Malgun Gothic", "Noto Sans CJK JP", "Noto Sans CJK SC",
    "Noto Sans CJK TC", "UnDotum", "Baekmuk Gulim",
)
INSTALL_HINT = (
    "no Korean font found for matplotlib, so Hangul will show as boxes. Install one and restart the kernel: "
    "Debian/Ubuntu `sudo apt install fonts-noto-cjk` (or `fonts-nanum`), Fedora `sudo dnf install "
    "google-noto-sans-cjk-fonts`; macOS (Apple SD Gothic Neo) and Windows (Malgun Gothic) ship one. "
    "If matplotlib still does not see it, delete its font cache (the fontlist-*.json in "
    "matplotlib.get_cachedir())"
)


class KoreanFontWarning(UserWarning):
    """No Korean font is installed; the message says how to install one."""


def korean_font(fonts: tuple[str, ...] = KOREAN_FONTS) -> str | None:
    """The first of `fonts` that matplotlib has found on this machine, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in fonts if name in installed), None)


def use_korean_font(fonts: tuple[str, ...] = KOREAN_FONTS) -> str | None:
    """Make matplotlib draw Hangul with an installed Korean font, and return its name.

    The font goes first in matplotlib's sans-serif list (glyphs it lacks fall back to the next ones), and the
    minus sign becomes a hyphen, which every Korean font has. With no Korean font installed, warn once how to
    install one, silence matplotlib's warning for each missing glyph, and return None.
    """
    import matplotlib

    name = korean_font(fonts)
    if name is None:
        warnings.warn(INSTALL_HINT, KoreanFontWarning, stacklevel=2)
        warnings.filterwarnings("ignore", message=r"Glyph .*missing from")
        return None
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [name, *(f for f in rc["font.sans-serif"] if f != name)]
    rc["axes.unicode_minus"] = False
    return name
