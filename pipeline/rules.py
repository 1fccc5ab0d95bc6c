"""Rule tagger: lexicon look-ups and head-noun patterns over Kiwi tokens for ORG, LOC and PROGRAM (layer "rules")."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from .layers import NEVER, Occupied, set_layer
from .lexicon import Entry, Lexicon, builtin_entries, read_lexicon
from .records import Span
from .tokenize import SPACE_TAG, KiwiToken, doc_text, doc_tokens

LAYER = "rules"

# Score of each rule family: a hand-set precision prior, checked against the per-rule precision that
# `benchmarks/rules_eval.py --by-rule` measures on seeds/gold.jsonl and KLUE (docs/rules.md, "Scores").
SCORES = {
    "lexicon": 0.9,  # a listed name (organisation, country, place)
    "gov-acts": 0.8,  # a local government that acts: 구미시는 … 추진한다 -> ORG
    "gov-territory": 0.85,  # the same name as a territory: 구미에 조성 -> LOC
    "gov-title": 0.9,  # 대전시장 -> 대전시 (ORG)
    "gov-council": 0.9,  # 안산시의회, 경남교육청 -> ORG
    "gov-office": 0.85,  # 경남도청, 창원시청 -> LOC (rule 18)
    "org-head": 0.75,  # …진흥원, …협의회, …센터 with their modifiers
    "site-head": 0.7,  # an organisation-like name being built (…센터 착공) -> LOC (rule 13)
    "loc-head": 0.75,  # …산단, …산업단지, …호텔, …홀, N공단
    "program-head": 0.65,  # …사업, …특화단지, …계획, …전략, …장려금 with their modifiers
    "program-quoted": 0.7,  # ‘스마트 물류’ 사업 -> the quoted name (rule 16)
    "company-mark": 0.9,  # ㈜월덱스, (주)X, X㈜
    "weather": 0.95,  # 맑음속초23.4℃ -> 속초
    "byline": 0.8,  # 【X】, [X= 기자], [X 김민수 기자], an outlet-like [X] at a line start, 출처 : X, Y, © X
    "english": 0.7,  # Title Case English names ending in Council, Agency, Hotel, Project …
    "abbreviation": 0.85,  # GERI(차세대에너지연구센터), 한국화학융합시험연구원(KTR): both ORG (rule 6)
    "address": 0.8,  # the 하단동 of 부산시 사하구 하단동
    "id-string": 1.0,  # never a name (label O): file hashes and IDs, 459ad4feb4f7fbf4b91a02c7b1a91a50_16309.jpg
    "english-word": 1.0,  # never a name (label O): a lowercase word inside English prose (in name and reality)
    "law-title": 1.0,  # never a name, nor anything inside it (label O): 「울산광역시 수소산업 진흥 조례」 (rule 17)
}

# Kiwi tags that can be part of a name (nouns, numbers, foreign words, noun prefixes and suffixes).
NOMINAL_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "SL", "SN", "SH", "XPN", "XSN", "XR", "MM"})  # MM: 한빛, 새빛
CONNECTORS = frozenset("·‧・-+/&")  # glue inside names: 소재·부품·장비, K-UAM, BIG5+1
OPEN_QUOTES = "‘“'\"「『《〈"
CLOSE_QUOTES = "’”'\"」』》〉"

_P = ("이|가|은|는|을|를|의|에|에서|에게|께|께서|와|과|으로|로|도|만|까지|부터|처럼|보다|이나|나|이며|며|이고|"
      "이다|이자|이란|란|이라는|라는|인|이었다|였다|입니다|이지만|이라고|라고|이라며|라며|측")
PARTICLES = re.compile(rf"(?:{_P})(?:{_P})?")  # particles and copula endings glued to a name (rule 2)
TITLES = re.compile(
    rf"(?:장|원장|회장|이사장|센터장|소장|청장|지사|도지사|시장|군수|구청장|의원|부시장|부지사|교육감|총장|사장|"
    rf"본부장|단장|위원장|국장|관계자)(?:{_P})?"
)
WORD_CHARS = re.compile(r"[가-힣A-Za-z0-9]*")
HANGUL = re.compile(r"[가-힣]")
LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z .&'-]*\Z")

# Heads: the last noun of a name decides its label. Longest first when one ends another.
PROGRAM_HEADS = ("사업", "특화단지", "특구", "계획", "전략", "장려금", "지원금", "보조금", "정책자금", "프로그램",
                 "클러스터", "펀드", "바우처", "프로젝트", "이니셔티브", "뉴딜", "경제자유구역")
ORG_HEADS = ("공단", "진흥원", "연구원", "연구소", "센터", "재단", "협의회", "협의체", "위원회", "대학교", "대학",
             "공사", "협회", "연합회", "조합", "기술원", "평가원", "개발원", "정보원", "진흥회", "학회", "의회",
             "교육청", "경찰청", "사업단", "추진단", "지원단", "본부", "테크노파크", "과학기술원", "상공회의소",
             "일보", "신문", "방송", "연맹", "포럼", "연구회", "경찰서", "소방서", "세무서", "지검", "지청", "지법",
             "지방법원", "고등법원", "지방검찰청", "교육지원청")
LOC_HEADS = ("산단", "산업단지", "농공단지", "연구단지", "혁신도시", "테크노밸리", "공항", "호텔", "홀",
             "컨벤션센터", "회관", "청사", "도청", "시청", "군청", "구청", "캠퍼스", "타워", "빌딩", "광장", "터미널",
             "미술관", "박물관", "경기장", "체육관", "기념관")
MAX_WORDS = {"ORG": 5, "LOC": 2, "PROGRAM": 6}  # separate words a name may take on the left of its head word
HEAD_BLOCKERS = frozenset("산업 분야 과제 부문 기술 업종 품목 사업".split())
TITLE_WORD = re.compile(rf"\s(?:장|원장|회장|이사장|센터장|소장|청장|총장|사장|대표|본부장|단장|위원장|국장)"
                        rf"(?:{_P})?(?![가-힣])")
ACRONYM_AFTER = re.compile(r"\(([A-Z][A-Za-z0-9&-]{1,9})\)")
ACRONYM_BEFORE = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9&-]{1,9})\(\Z")
DONG = re.compile(r" ([가-힣]{1,5}\d{0,2}(?:동|읍|면|리))(?![가-힣])")
METRO_SHORT = frozenset("서울 부산 대구 인천 광주 대전 울산 세종 "
                        "서울시 부산시 대구시 인천시 대전시 울산시 세종시".split())
QUOTE_TAIL = re.compile(r"(\s?지원)[’”'\"]")
HEADS: dict[str, str] = {**{h: "ORG" for h in ORG_HEADS}, **{h: "LOC" for h in LOC_HEADS},
                         **{h: "PROGRAM" for h in PROGRAM_HEADS}}
HEAD_LENGTHS = tuple(sorted({len(h) for h in HEADS}, reverse=True))
HEAD_FINALS = frozenset(h[-1] for h in HEADS)  # a word ending otherwise has no head: no look-ups
RISKY_ORG_HEADS = frozenset({"공사", "본부", "대학", "의회"})  # need an institutional first word
INSTITUTIONAL = re.compile(r"(?:한국|대한|국립|국가|중앙|[A-Z])")
LAW_HEADS = re.compile(r"(?:법|법률|조례|특별법|특례법|시행령|시행규칙|법안)\Z")
NOT_LAWS = frozenset("방법 해법 불법 합법 편법 기법 수법 문법 용법 비법 "
                     "요법 공법 위법 적법 사법 입법 어법 작법 화법 병법".split())  # words, not law titles
QUOTED = re.compile(rf"「[^」\n]+」|[{OPEN_QUOTES}]([^{CLOSE_QUOTES}\n]{{2,60}})[{CLOSE_QUOTES}]")
GOV_PAREN_TITLE = re.compile(r"\((?:시장|도지사|군수|구청장|지사)")

# Words that end a name on the left: determiners, generic quantities, conjunctions (rule 15).
STOP_WORDS = frozenset("""오전 오후 새벽 저녁 밤 낮 아침 당일 현지시간 새해 연초 연말 상반기 하반기 올 지난 오는
번째 시 도 군 구 부지 일대 인근 일원 주변 한 두 세 네 몇 어느 옛 이번 본 해당 각 관련 산하 소속 등 및 또는 총 약
전 현 신규 기존 올해 내년 지난해 작년 금년 향후 당시 이날 전체 주요 기타 여러 모든 다른 각종 일부 최초 유일 최대
첫 새 신 구 국내 국외 해외 지역 전국 우리 우리나라 이 그 저 기초지자체 광역지자체 지자체 정부 중앙정부 위 아래
다음 앞 뒤 내 외 간 중 사이 통해 위해 대비 대상 경우 중심""".split())
# Modifiers that name nothing in particular: a name needs at least one word outside this set.
GENERIC = STOP_WORDS | frozenset("""기업 지원 센터 공모 국가공모 기획 예타 정책 중점 역점 핵심 추진 시범 공동
연구 개발 협력 운영 자문 실무 심의 조정 기술 산업 단계 협의 시설 기반 조성 구축 육성 발전 기본 종합 세부 실행
시행 중장기 장기 단기 연간 분야별 모델 사업 사업화 지원사업 국비 도비 시비 시 도 군 구 본부 관리 경영 홍보 교육
평가 특별 상임 분과 소 대 중소기업 중소 대기업 벤처 스타트업 창업 일자리 신사업 인프라 예비 예비타당성 조사 전략
계획 과제 분야 부문 대학 학교 재단 위원 위원회 협회 민간 공공 국가 국책 정부 지방 광역 기초 연구개발 R&D 기타
신규사업 정책사업 공모사업""".split())
GENERIC_COMPOUNDS = frozenset("""지식산업센터 데이터센터 물류센터 고객센터 콜센터 쇼핑센터 비즈니스센터
행정복지센터 주민센터 보건센터 주민자치센터 복지센터 상담센터 서비스센터 교육센터 연구센터 지원센터 혁신센터
국가산업단지 일반산업단지 지방의회 시의회 도의회 군의회 구의회 연구기관 대학병원 종합병원""".split())
SITE_VERBS = re.compile(r"\s(?:착공|준공|건립|건설|조성|개관|완공|구축)|(?:은|는|이|가)\s(?:\S{1,6}\s){0,2}"
                        r"(?:착공|준공|개관|완공|들어서|들어설)")
NUMBER_WORD = re.compile(r"['‘’]?\d[\d.,~]*(?:년|년도|월|일|명|개|곳|개사|개소|억원|만원|원|%|단계|차|회|세대|"
                         r"시|분|호|층|번|번째|위|등|차례|분기)?\Z")
YEAR_WORD = re.compile(r"(?:19|20)\d\d(?:년|년도)?\Z")
SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구"
                     "민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부")
PLACE_FINALS = frozenset("산강도시군구동리읍면천섬봉령포항진")

# Acting predicates and governmental possessions for local governments (metonymy, rules 7 and 10).
ACTING = frozenset({"은", "는", "이", "가", "께서", "도", "에서는", "와", "과", "와는", "과는"})
GOV_POSSESSED = re.compile(r"\s*(?:정책|지원|계획|방침|예산|사업|관계자|공무원|입장|발표|요청|제안|결정|노력|투자|행정|"
                           r"조례|시정|도정|군정|구정|공모|협약|의지|구상|목표|추진)")
GOV_NEXT = re.compile(r"\s(?:관계자|공무원|측|대변인|담당자|당국|및)")
GOV_TAILS = {"의회": ("ORG", "gov-council"), "교육청": ("ORG", "gov-council"), "청": ("LOC", "gov-office")}
ADMIN_SUFFIX = re.compile(r"(?:특별자치도|특별자치시|특별시|광역시|도|시|군|구)\Z")
EN_ACTS = re.compile(r"(?i)(?:’s|'s)?\s+(?:officials?|government|polic|administration)"
                     r"|\s+(?:held|holds|hosted|hosts|said|says|"
                     r"announced|announces|will|plans|planned|signed|signs|launched|launches|opened|opens|selected|"
                     r"decided|promotes|promoted|pushes|has|have)\b")

WEATHER = re.compile(r"(?>맑음|흐림|구름조금|구름많음|구름|박무|연무|안개|비|눈|소나기|황사|진눈깨비|뇌우|흐리고 비)"
                     r"([가-힣]{1,6}?)(?:\([가-힣]\))? ?-?\d{1,2}\.\d\s?℃")  # 맑음속초23.4℃, 맑음대전 24.8℃
# (?>…): a weather word is taken whole, so in 군산 구름많음 10.4℃ the place is not 많음
COMPANY = re.compile(r"(?:㈜|\(주\)|주식회사 ?)([가-힣A-Za-z0-9&][가-힣A-Za-z0-9&-]*)"
                     r"|(?<![가-힣A-Za-z0-9&])([가-힣A-Za-z0-9&]+)(?:㈜|\(주\))")  # run starts only: linear
ID_STRING = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{16,}(?![0-9A-Za-z])")  # an ID when it mixes digits, letters
EN_LOWER_WORD = re.compile(r"(?<=[A-Za-z,;]) ([a-z]{2,})(?![A-Za-z0-9&@._-])")  # after an English word: prose
COMPANY_MARKS = ("㈜", "(주)", "주식회사")  # in every COMPANY match: a text without one is not scanned
BYLINE_BOX = re.compile(r"【([^】\n]{2,20})】")
BRACKET = re.compile(r"(?m)^[ \t\xa0]*[\[(]([^\]\n=:()]{2,15}?)\s*(?:=\s*([^\]\n)]{0,20}))?[\])]")
SOURCE_LINE = re.compile(r"출처\s?[:：]\s?([^\n\]\-–(|]{2,30}?)\s*(?=[\]\-–(|\n]|$)")
COPYRIGHT = re.compile(  # <저작권자 © 충북일보 무단전재 …>, ⓒ 2025 대전일보. All rights reserved, Copyright © 경인일보
    r"(?:(?:저작권자|[Cc]opyright|COPYRIGHT)\s*(?:ⓒ|©|\([Cc]\))?|(?<![\w])(?:ⓒ|©))\s*(?:(?:19|20)\d\d\s+)?(?:by\s+)?"
    r"((?!무단|All\b)[가-힣A-Za-z][가-힣A-Za-z0-9]*(?: (?!무단)[가-힣A-Za-z0-9]+){0,2}?)"
    r"(?=\s*(?:[,<>|&(\n＜·–-]|\.(?![A-Za-z])|무단|[Aa]ll\b|www\.|$))")
COPYRIGHT_MARKS = ("©", "ⓒ", "opyright", "OPYRIGHT", "저작권자")  # in every COPYRIGHT match
BRACKET_STOP = frozenset("""사진 포토 영상 동영상 인터뷰 속보 단독 종합 기고 칼럼 사설 기자수첩 오피니언 논평
특집 기획 르포 인사 부고 동정 알림 카드뉴스 그래픽 표 공지 광고 편집자주 보도자료 현장 이슈 포커스 뉴스 팩트체크
해설 분석 전문 화보 날씨 경제 사회 정치 문화 국제 스포츠 연예 지역 기자 리포트 자료 참고 출처 주 예 편집자
블로그 로그인 로그아웃 회원가입 구독 검색 메뉴 전체메뉴 홈 댓글 공유 인쇄 스크랩 추천 포토뉴스 지역경제""".split())
REPORTER = re.compile(r"\s*(?:[가-힣][가-힣○O]{1,3}\s*)?기자\s*\Z")  # 김민수 기자, 박○○ 기자
# how a news outlet's name ends (경남일보, 충북 브레이크뉴스, 한국경제TV, KBS News): a bare [X] or a source is one
OUTLET = re.compile(r"(?:일보|신문|뉴스|방송|통신|통신사|타임스|타임즈|저널|투데이|미디어|경제|헤럴드|데일리|"
                    r"포스트|매일|닷컴|TV|[Nn]ews|NEWS|Times|Daily|Herald|Journal)\Z")
WORD = re.compile(r"\S+")  # the words of a copyright line, with their offsets
SOURCE_SEPARATORS = re.compile(r"\s*[/,、·]\s*")  # 출처: 충청남도 보도자료, 연합뉴스
QUOTED_PROGRAM = re.compile(  # a name never starts or ends with a space: "…"며 "사업 … is two quotes, not a name
    rf"[{OPEN_QUOTES}]([^\s{OPEN_QUOTES}{CLOSE_QUOTES}][^{OPEN_QUOTES}{CLOSE_QUOTES}\n]{{1,39}}?(?<!\s))"
    rf"[{CLOSE_QUOTES}]\s?"
    r"(?:사업|지원사업|프로그램|펀드|프로젝트)(?![가-힣])"
)
_EN_WORD = r"(?:[A-Z][A-Za-z&.-]*|\d{4}|R&D)"
_EN_HEADS = {
    "ORG": r"Council|Agency|Institute|Ministry|Corporation|Foundation|Association|University|Center|Centre|Committee|"
           r"Commission|Administration|Authority|Bank|Federation|Technopark|Agency",
    "LOC": r"Hotel|Hall|Industrial Complex|Airport|Port|Convention Center|Tower|Plaza",
    "PROGRAM": r"Project|Program|Programme|Fund|Strategy|Plan|Initiative|Cluster|Specialized Complex|Special Zone",
}
ENGLISH = re.compile(
    rf"(?<![A-Za-z])((?:{_EN_WORD}(?: (?:of|and|for|on|&) | ))*{_EN_WORD}? ?"
    rf"(?:(?P<ORG>{_EN_HEADS['ORG']})|(?P<LOC>{_EN_HEADS['LOC']})|(?P<PROGRAM>{_EN_HEADS['PROGRAM']}))"
    rf"(?: of (?:{_EN_WORD})(?: (?:and )?{_EN_WORD})*)?)(?![A-Za-z])"
)
EN_HEAD = re.compile("|".join(_EN_HEADS.values()))  # in every ENGLISH match, and ~40 times cheaper to look for
EN_STOP = frozenset("""The A An This That These Those In On At For From With By As To Of And Or But It Its Based
In Holds Held Hosts Hosted Signs Signed Opens Launches Launched Announces Announced Says Said Sharing Will
Korea's""".split())


class Cand(NamedTuple):
    """A candidate span before overlaps are resolved."""

    start: int
    end: int
    label: str
    rule: str
    canonical: str | None = None


@functools.cache  # asked once per token, of a few hundred distinct tags
def _nominal(tag: str) -> bool:
    """A token that can sit inside a name."""
    return all(p in NOMINAL_TAGS for p in tag.split("+"))


def _runnable(text: str, tok: KiwiToken) -> bool:
    """Noun-like tokens and the symbols that glue names together (brackets, middle dots); Kiwi's SL holds © too."""
    if tok.tag == "SL":
        return text[tok.start].isalnum()
    return _nominal(tok.tag) or text[tok.start:tok.end] in CONNECTORS or text[tok.start:tok.end] in "()"


class Tagger:
    """Finds rule spans in one text given its Kiwi tokens; holds nothing but the lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def spans(self, text: str, toks: Sequence[KiwiToken]) -> tuple[list[Span], list[Span]]:
        """The rule spans of `text` (non-overlapping, source 'rule') and its stop-list matches (label O)."""
        ends = {t.end for t in toks}
        runs = list(_runs(text, toks))
        laws = list(_law_regions(text, toks, runs))
        cands = [*self._lexicon_cands(text, toks, ends), *self._head_cands(text, toks, runs),
                 *self._regex_cands(text), *(Cand(s, e, "O", "law-title") for s, e, title in laws if title)]
        spans = _addresses(text, self._resolve(text, cands, [(s, e) for s, e, _ in laws]))
        never = [Span(c.start, c.end, "O", text[c.start:c.end], "rule", None, None, c.rule)
                 for c in cands if c.label == "O"]
        return sorted([*spans, *_abbreviations(text, spans)], key=lambda s: (s.start, s.end)), never

    # ---- lexicon look-ups -------------------------------------------------------------------------
    def _lexicon_cands(self, text: str, toks: Sequence[KiwiToken], ends: set[int]) -> Iterable[Cand]:
        """Longest valid lexicon match at each token start."""
        for k, tok in enumerate(toks):
            if tok.tag == SPACE_TAG:
                continue
            for entry in self.lexicon.matches_at(text, tok.start):
                cand = self._lexicon_cand(text, toks, ends, k, entry)
                if cand is not None:
                    yield cand
                    break

    def _lexicon_cand(self, text: str, toks: Sequence[KiwiToken], ends: set[int], k: int, e: Entry) -> Cand | None:
        """The span a lexicon entry gives at token k, or None when the boundaries or checks fail."""
        s = toks[k].start
        end = s + len(e.term)
        latin = bool(LATIN_TERM.match(e.term))
        if latin:
            if (s and text[s - 1].isascii() and text[s - 1].isalnum()) or (
                    end < len(text) and text[end].isascii() and text[end].isalnum()):
                return None
        elif k and not toks[k - 1].space and toks[k - 1].end == s and _nominal(toks[k - 1].tag) \
                and HANGUL.match(text[s - 1]):
            return None  # inside a compound noun (남해안 is not 남해 + 안)
        if e.check == "nnp" and not toks[k].tag.startswith("NNP"):
            return None
        rest = "" if latin else WORD_CHARS.match(text, end).group()
        canonical = e.canonical or None
        if e.label == "O":
            return Cand(s, end, "O", f"lexicon:{e.source}") if _clean_end(rest, end, ends) else None
        if e.is_gov:
            return _gov_cand(text, ends, s, end, rest, e)
        if rest.startswith("권") and (rest == "권" or PARTICLES.fullmatch(rest[1:])) and e.label == "LOC":
            return Cand(s, end + 1, "LOC", f"lexicon:{e.source}")
        if rest and (rest.startswith("형") or not (_clean_end(rest, end, ends) or TITLES.fullmatch(rest))):
            return None
        return Cand(s, end, e.label, f"lexicon:{e.source}", canonical)

    # ---- head-noun patterns -----------------------------------------------------------------------
    def _head_cands(self, text: str, toks: Sequence[KiwiToken], runs: list[tuple[int, int]]) -> Iterable[Cand]:
        """Names that end in an ORG, LOC or PROGRAM head noun, stretched left over their modifiers."""
        for i, j in runs:
            yield from self._run_cands(text, toks, i, j)

    def _run_cands(self, text: str, toks: Sequence[KiwiToken], i: int, j: int) -> Iterable[Cand]:
        """Candidates inside one run of noun-like tokens toks[i..j]."""
        run_start = toks[i].start
        for k in range(i, j + 1):
            end = toks[k].end
            nxt = text[toks[k + 1].start:toks[k + 1].end] if k < j else ""
            if nxt and toks[k + 1].start == end and nxt not in "()" and not TITLES.fullmatch(nxt):
                continue  # the compound goes on: 전략산업 is not a 전략
            head = next((text[end - n_:end] for n_ in HEAD_LENGTHS
                         if end - n_ >= run_start and text[end - n_:end] in HEADS), None) \
                if text[end - 1] in HEAD_FINALS else None
            if head is None or (head in ("전략", "계획") and nxt in HEAD_BLOCKERS):
                continue  # 핵심 전략 산업: a strategic industry, not a strategy
            label = HEADS[head]
            titled = bool(TITLES.match(text, end)) or bool(TITLE_WORD.match(text, end))
            quoted = run_start > 0 and text[run_start - 1] in OPEN_QUOTES and text[end:end + 1] in CLOSE_QUOTES
            start = self._stretch_left(text, toks, i, k, label, titled or quoted and "quoted")
            cand = self._head_cand(text, start, end, head, label)
            if cand is not None:
                yield cand

    def _stretch_left(self, text: str, toks: Sequence[KiwiToken], i: int, k: int, label: str,
                      titled: bool | str) -> int:
        """Start of the name ending at toks[k]: whole glued word, then earlier words while they are modifiers."""
        m = k
        while m > i and toks[m - 1].end == toks[m].start:
            piece = text[toks[m - 1].start:toks[m - 1].end]
            if piece == "(":
                return toks[m].start  # the name is inside brackets: GERI(차세대에너지연구센터)
            if piece == ")":
                o = self._open_bracket(text, toks, i, m - 1)
                if o is None or o == i or toks[o - 1].end != toks[o].start:
                    return toks[m].start
                m = o
                continue
            left = text[toks[i].start:toks[m - 1].start].split()
            if piece in ("-", "·") and left and self.lexicon.get(left[-1]):
                return toks[m].start  # 구미시-기술원: two names
            m -= 1
        start = toks[m].start
        words = 0
        while m > i and words < MAX_WORDS[label]:
            w_end = m - 1  # previous word: tokens glued together before the space
            w_start = w_end
            while w_start > i and toks[w_start - 1].end == toks[w_start].start:
                w_start -= 1
            if not self._modifier(text, toks, w_start, w_end, label, titled):
                break
            m, start, words = w_start, toks[w_start].start, words + 1
        return start

    @staticmethod
    def _open_bracket(text: str, toks: Sequence[KiwiToken], i: int, close: int) -> int | None:
        """Index of the '(' matching the ')' at toks[close], within the run."""
        depth = 0
        for m in range(close, i - 1, -1):
            piece = text[toks[m].start:toks[m].end]
            depth += piece == ")"
            depth -= piece == "("
            if depth == 0:
                return m
        return None

    def _modifier(self, text: str, toks: Sequence[KiwiToken], a: int, b: int, label: str, titled: bool | str) -> bool:
        """Whether the word toks[a..b] before a name belongs to it (not a determiner, date, person or other name).

        `titled` is True when a title follows the name (a person may precede it) and "quoted" when the whole
        name sits in quotes (any noun in it belongs to it).
        """
        word = text[toks[a].start:toks[b].end]
        if word in STOP_WORDS or word[0] == "(" or word.count("(") != word.count(")") or word[-1] in CONNECTORS:
            return False
        word = re.sub(r"\([^()]*\)", "", word) or word  # 소부장(소재·부품·장비): judge 소부장
        entry = self.lexicon.get(word)
        if entry is not None and (entry.label in ("O", "ORG") or entry.kind in ("country", "foreign")):
            return False
        if entry is not None and entry.is_gov and ADMIN_SUFFIX.search(word) and _sentence_start(text, toks[a].start):
            return False  # 충남도 탄소중립 … 전략을 발표했다: the government is the subject, not part of the name
        if NUMBER_WORD.match(word):
            before = text[toks[a].start - 1] if toks[a].start else "\n"
            return label == "PROGRAM" and bool(YEAR_WORD.match(word)) and before in OPEN_QUOTES + "\n"
        if titled is True and entry is None and _person_like(word):
            return False  # 김현종 국가뿌리산업진흥센터 소장: a person before the organisation and a title
        if label == "LOC" and titled != "quoted":  # places take proper-noun modifiers: 청주 그랜드플라자 호텔
            return entry is not None or any(t.tag.startswith(("NNP", "SL")) for t in toks[a:b + 1]) \
                or any(word.endswith(h) for h in LOC_HEADS)
        return label == "PROGRAM" or not any(word.endswith(h) for h in ORG_HEADS if len(h) > 1)

    def _head_cand(self, text: str, start: int, end: int, head: str, label: str) -> Cand | None:
        """Check a stretched name (it names something in particular) and give its label and rule."""
        name = text[start:end]
        if start == end - len(head):
            return None
        if head == "공단" and (name[-3:-2].isdigit() or self.lexicon.get(name[:-2]) is not None):
            return Cand(start, end, "LOC", "loc-head")  # 구미5공단, 반월공단: an industrial estate
        words = name.split()
        modifiers = [w for w in re.split(r"[\s·‧・()/]+", name[: len(name) - len(head)]) if w]
        if not any(w not in GENERIC and not NUMBER_WORD.match(w) for w in modifiers):
            return None
        if words[-1] in GENERIC_COMPOUNDS and not any(self.lexicon.get(w) for w in words[:-1]):
            return None  # 공공임대형 지식산업센터: a kind of building, not a name
        if label == "ORG":
            if head in RISKY_ORG_HEADS and not (INSTITUTIONAL.match(name) or self._starts_with_place(name)):
                return None
            if SITE_VERBS.match(text, end):
                return Cand(start, end, "LOC", "site-head")
            return Cand(start, end, "ORG", "org-head")
        if label == "LOC":
            return Cand(start, end, "LOC", "loc-head")
        tail = QUOTE_TAIL.match(text, end)  # ‘노사상생 우수 프로그램 지원’: the quoted name goes on
        return Cand(start, tail.end(1) if tail else end, "PROGRAM", "program-head")

    def _starts_with_place(self, name: str) -> bool:
        """Whether a name begins with a listed place (창원산업진흥원, 경남개발공사)."""
        return any(e.label == "LOC" for e in self.lexicon.matches_at(name, 0))

    # ---- regular expressions over the text ---------------------------------------------------------
    def _regex_cands(self, text: str) -> Iterable[Cand]:
        """Weather widgets, ID strings and lowercase English words (never names), company marks, bylines,
        quoted programme names and English names."""
        for m in WEATHER.finditer(text):
            if m.group(1):
                yield Cand(m.start(1), m.end(1), "LOC", "weather")
        for m in ID_STRING.finditer(text):
            if not m.group().isalpha() and not m.group().isdigit():
                yield Cand(m.start(), m.end(), "O", "id-string")
        for m in EN_LOWER_WORD.finditer(text):
            yield Cand(m.start(1), m.end(1), "O", "english-word")
        if any(mark in text for mark in COMPANY_MARKS):
            for m in COMPANY.finditer(text):
                if m.group(1):
                    name_end = m.start(1) + len(self._strip_particle(m.group(1)))
                    yield Cand(m.start(), name_end, "ORG", "company-mark")
                else:
                    yield Cand(m.start(), m.end(), "ORG", "company-mark")
        for m in BYLINE_BOX.finditer(text):
            place, eq, outlet = m.group(1).rpartition("=")
            if place:  # 【인천=뉴시스】 is a place and an outlet, as [인천=뉴시스] is
                yield from self._place(m.start(1), place, text)
            if eq or self._outlet_like(outlet.strip()):  # not 【붙임】, 【참고 2】
                yield from self._byline(m.end(1) - len(outlet), m.end(1), text)
        for m in BRACKET.finditer(text):
            yield from self._bracket(m, text)
        if any(mark in text for mark in COPYRIGHT_MARKS):
            for m in COPYRIGHT.finditer(text):
                yield from self._copyright(m, text)
        for m in SOURCE_LINE.finditer(text):
            at = m.start(1)
            for item in SOURCE_SEPARATORS.split(m.group(1)):
                at = text.index(item, at)
                if self._outlet_like(item):  # 출처: 평택시청 보도자료 names no outlet; the other rules read it
                    yield from self._byline(at, at + len(item), text)
                at += len(item)
        for m in QUOTED_PROGRAM.finditer(text):
            if not any(m.group(1).endswith(h) for h in HEADS):
                yield Cand(m.start(1), m.end(1), "PROGRAM", "program-quoted")
        if EN_HEAD.search(text):
            for m in ENGLISH.finditer(text):
                yield from self._english(m, text)

    @staticmethod
    def _strip_particle(name: str) -> str:
        """Drop a particle Kiwi left glued to an unknown name (월덱스와 -> 월덱스), by Korean phonology."""
        for n in (3, 2, 1):
            stem, tail = name[:-n], name[-n:]
            if len(stem) < 2 or not PARTICLES.fullmatch(tail) or not HANGUL.match(stem[-1]):
                continue
            batchim = (ord(stem[-1]) - 0xAC00) % 28 != 0
            if tail[0] in "이은을과" and not batchim or tail[0] in "가는를와" and batchim:
                continue  # 에스티아이 keeps its 이: a vowel-final stem takes 가, not 이
            return stem
        return name

    def _byline(self, s: int, e: int, text: str) -> Iterable[Cand]:
        """A news outlet named in a byline box or source line, unless it is a section tag like [사진]."""
        name = text[s:e].strip().rstrip(" |/·,")  # [스포츠서울 | 김민재 기자]
        s += len(text[s:e]) - len(text[s:e].lstrip())
        if name and name not in BRACKET_STOP and not name[0].isdigit():
            yield Cand(s, s + len(name), "ORG", "byline")

    def _outlet_place(self, s: int, e: int, text: str) -> Iterable[Cand]:
        """The outlet of [X 김민수 기자] or [X= 기자], and the dateline place that may follow it ([중도일보 세종=…])."""
        head, _, tail = text[s:e].rstrip().rpartition(" ")
        place = list(self._place(s + len(head) + 1, tail, text)) if head.strip() else []
        yield from place
        yield from self._byline(s, s + len(head) if place else e, text)

    def _copyright(self, m: re.Match, text: str) -> Iterable[Cand]:
        """The outlet of a copyright line: up to its first word that reads as an outlet (© 전북일보 인터넷신문,
        © News1 김민수 기자), after any leading word that is neither an outlet nor a place (ⓒ 공감언론 뉴시스통신사)."""
        words = list(WORD.finditer(text, m.start(1), m.end(1)))
        last = next((i for i, word in enumerate(words) if self._outlet_like(word.group())), None)
        if last is None or last and words[0].group().isascii():  # © DAEGU NEWS, © Electronic Times Internet: all
            yield from self._byline(m.start(1), m.end(1), text)
            return
        first = next(i for i, word in enumerate(words) if i == last or self._starts_with_place(word.group()))
        yield from self._byline(words[first].start(), words[last].end(), text)

    def _outlet_like(self, name: str) -> bool:
        """True when `name` reads as a news outlet: it ends like one, or the lexicon knows it as an ORG."""
        entry = self.lexicon.get(name)
        if entry is not None and entry.label == "ORG":
            return True
        head, _, last = name.rpartition(" ")
        if head and last in BRACKET_STOP:  # [많이 본 뉴스], [쉬운 경제] are section tags; [KNN 뉴스] names KNN
            return any(self._outlet_like(word) for word in head.split(" "))
        return bool(OUTLET.search(name))

    def _place(self, s: int, name: str, text: str) -> Iterable[Cand]:
        """The dateline place of [서울=뉴시스] or 【인천=뉴시스】, when the lexicon knows it as a place."""
        entry = self.lexicon.get(name.strip())
        if entry is not None and entry.label == "LOC":
            s += len(name) - len(name.lstrip())
            yield Cand(s, s + len(name.strip()), "LOC", f"lexicon:{entry.source}", entry.canonical or None)

    def _bracket(self, m: re.Match, text: str) -> Iterable[Cand]:
        """[X= 기자] and [X 김민수 기자] name the outlet, and so does a bare [X] at a line start that reads as one
        ([경남일보]; not a section tag such as [자막], [공고], [시론]); [서울=뉴시스] is a place and an outlet."""
        left, right = m.group(1), m.group(2)
        if right is None:
            reporter = REPORTER.search(left)
            if reporter:
                yield from self._outlet_place(m.start(1), m.start(1) + reporter.start(), text)
            elif m.group().lstrip()[0] == "[" and m.end() < len(text) and text[m.end()] not in "\n" \
                    and self._outlet_like(left.strip()):
                yield from self._byline(m.start(1), m.end(1), text)
        elif right.strip() == "" or REPORTER.match(right):
            yield from self._outlet_place(m.start(1), m.end(1), text)
        else:
            place = list(self._place(m.start(1), left, text))
            if place:  # a known place before the = is a dateline: what follows it is the outlet
                yield from place
                out = re.match(r"\s*([^\s\]]+)", right)
                if out:
                    yield from self._byline(m.start(2) + out.start(1), m.start(2) + out.end(1), text)

    @staticmethod
    def _english(m: re.Match, text: str) -> Iterable[Cand]:
        """A Title Case English name ending in a head word (the articles carry English translations)."""
        s, e = m.span(1)
        words = text[s:e].split(" ")
        cut = max((i + 1 for i, w in enumerate(words) if w in EN_STOP), default=0)
        words = words[cut:]
        while words and words[0] in ("", "of", "and", "for", "on", "&"):  # "": a number before the head
            words = words[1:]
        if len(words) < 2:
            return
        s = e - len(" ".join(words))
        label = next(lab for lab in ("ORG", "LOC", "PROGRAM") if m.group(lab))
        yield Cand(s, e, label, "english")

    # ---- overlaps and stop words -------------------------------------------------------------------
    def _resolve(self, text: str, cands: list[Cand], opaque: list[tuple[int, int]]) -> list[Span]:
        """Keep the longest of overlapping candidates (rule 5), drop stop words (O) and names inside laws (rule 17)."""
        kept: list[Cand] = []
        occupied = Occupied()
        for c in sorted(cands, key=lambda c: (c.start - c.end, -_score(c.rule), c.start)):
            if not occupied.overlaps(c):
                occupied.add(c)
                kept.append(c)
        out = []
        for c in kept:
            entry = self.lexicon.get(text[c.start:c.end])
            if c.label == "O" or (entry is not None and entry.label == "O"):
                continue
            if any(s <= c.start and c.end <= e for s, e in opaque):
                continue
            out.append(Span(c.start, c.end, c.label, text[c.start:c.end], "rule", _score(c.rule), c.canonical, c.rule))
        return sorted(out, key=lambda s: (s.start, s.end))


def _person_like(word: str) -> bool:
    """A Korean personal name: 2-4 syllables starting with a common surname and not ending like a place."""
    return 2 <= len(word) <= 4 and word[0] in SURNAMES and word[-1] not in PLACE_FINALS \
        and all("가" <= c <= "힣" for c in word)


def _sentence_start(text: str, i: int) -> bool:
    """Whether position i starts a line or follows a sentence end."""
    before = text[max(0, i - 2):i]
    return i == 0 or before.endswith("\n") or before.rstrip(" ").endswith((".", "!", "?")) and before[-1:] == " "


def _score(rule: str) -> float:
    """The score of a rule name such as 'gov-acts:admin' (its family before the colon)."""
    return SCORES[rule.split(":")[0]]


def _runs(text: str, toks: Sequence[KiwiToken]) -> Iterable[tuple[int, int]]:
    """Maximal runs toks[i..j] of noun-like tokens joined by nothing or one space: where names can be."""
    n = len(toks)
    i = 0
    while i < n:
        if not _runnable(text, toks[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and _runnable(text, toks[j + 1]) and (
                toks[j + 1].start == toks[j].end or (toks[j].space and toks[j + 1].start == toks[j].end + 1)):
            j += 1
        yield i, j
        i = j + 1


def _clean_end(rest: str, end: int, ends: set[int]) -> bool:
    """A name may end here: nothing glued, only particles, or a token edge before more nouns (X지역)."""
    return not rest or bool(PARTICLES.fullmatch(rest)) or end in ends


def _gov_cand(text: str, ends: set[int], s: int, end: int, rest: str, e: Entry) -> Cand | None:
    """A local government: ORG when it acts, holds a title or a council; LOC as a territory (rules 7, 10, 11, 18)."""
    canonical = e.canonical or None
    if e.term[-1:].isascii():  # romanised: "Chungbuk Province held", "Chungbuk official" -> ORG
        m = EN_ACTS.match(text, end)
        said = m.group() if m else ""
        acts = any(w in said for w in ("offic", "polic", "government", "administration")) or (
            bool(said) and e.term.endswith(("Province", "City", "Government", "County", "District", "-gun", "-gu")))
        return Cand(s, end, "ORG" if acts else "LOC", f"{'gov-acts' if acts else 'gov-territory'}:{e.source}",
                    canonical)
    suffixed = bool(ADMIN_SUFFIX.search(e.term))
    if not suffixed and rest[:1] in ("도", "시", "군", "구") and (
            TITLES.fullmatch(rest[1:]) or rest[1:].startswith(tuple(GOV_TAILS))):
        end, rest, suffixed = end + 1, rest[1:], True  # 경북도지사 -> 경북도, 창원시의회
    if suffixed:
        for tail, (label, rule) in GOV_TAILS.items():
            if rest.startswith(tail) and (rest == tail or PARTICLES.fullmatch(rest[len(tail):])):
                return Cand(s, end + len(tail), label, f"{rule}:{e.source}", None)
    if rest and TITLES.fullmatch(rest):
        return Cand(s, end, "ORG", f"gov-title:{e.source}", canonical)
    if rest.startswith("형") or not _clean_end(rest, end, ends):
        return None
    particle = rest if PARTICLES.fullmatch(rest or "-") else ""
    acts = False
    if particle in ACTING:
        acts = suffixed
    elif particle == "의":
        acts = bool(GOV_POSSESSED.match(text, end + 1))
    elif not rest:
        after = text[end:end + 12]
        line_start = s == 0 or text[s - 1] == "\n"
        acts = bool(GOV_NEXT.match(after)) or (suffixed and (
            (after.startswith(",") and line_start) or bool(GOV_PAREN_TITLE.match(after))))
    rule = "gov-acts" if acts else "gov-territory"
    return Cand(s, end, "ORG" if acts else "LOC", f"{rule}:{e.source}", canonical)


def _addresses(text: str, spans: list[Span]) -> list[Span]:
    """`spans` plus the 동/읍/면/리 that ends an address chain, as its own LOC: 부산시 사하구 하단동 -> 부산시,
    사하구, 하단동 (one territory per span, as the domain and check-set annotators split a chain)."""
    out: list[Span] = []
    for i, s in enumerate(spans):
        out.append(s)
        prev = spans[i - 1] if i else None
        chained = prev is not None and text[prev.end:s.start] == " " and 0 < _level(prev) < _level(s)
        dong = DONG.match(text, s.end) if chained and s.label == prev.label == "LOC" else None
        if dong and (i + 1 == len(spans) or spans[i + 1].start >= dong.end(1)):
            a, b = dong.span(1)
            out.append(Span(a, b, "LOC", text[a:b], "rule", SCORES["address"], None, "address"))
    return out


def _level(span: Span) -> int:
    """Administrative level of a territory span: 1 province, 2 city or county, 3 district, 0 other."""
    if not span.rule or not span.rule.startswith("gov-territory"):
        return 0
    name = span.text
    return 3 if name.endswith("구") else 2 if name.endswith(("시", "군")) and len(name) > 2 else 1 \
        if span.canonical and span.canonical.endswith("도") or name in METRO_SHORT else 0


def _abbreviations(text: str, spans: list[Span]) -> Iterable[Span]:
    """Rule 6: the acronym next to an organisation in brackets is an ORG too (GERI(…센터), …연구원(KTR))."""
    occupied = Occupied(spans)
    for s in spans:
        if s.label != "ORG":
            continue
        after = ACRONYM_AFTER.match(text, s.end)
        before = ACRONYM_BEFORE.search(text, max(0, s.start - 12), s.start) if text[s.end:s.end + 1] == ")" else None
        for m in (after, before):
            acronym = m and Span(m.start(1), m.end(1), "ORG", m.group(1), "rule", SCORES["abbreviation"], None,
                                 "abbreviation")
            if acronym and not occupied.overlaps(acronym):
                yield acronym


def _law_regions(text: str, toks: Sequence[KiwiToken],
                 runs: list[tuple[int, int]]) -> Iterable[tuple[int, int, bool]]:
    """Titles of laws and ordinances (「…」, ‘… 조례’, … 특별법): nothing inside them is a name (rule 17). The flag
    marks a quoted title that ends like a law (「…조례」), which is itself never a name; a 「…」 may name a plan."""
    for m in QUOTED.finditer(text):
        title = m.group(1) or m.group()[1:-1]
        ends_like_law = LAW_HEADS.search(title) is not None
        if ends_like_law or m.group().startswith("「"):
            yield m.start(), m.end(), ends_like_law and title not in NOT_LAWS
    for i, j in runs:
        for k in range(i, j + 1):
            piece = text[toks[k].start:toks[k].end]
            if LAW_HEADS.search(piece) and piece not in NOT_LAWS and (k == j or toks[k].space):
                yield toks[i].start, toks[k].end, False

class RulesTagger:
    """spaCy component `kner_rules`: writes lexicon and pattern spans to the "rules" layer of each Doc."""

    def __init__(self, nlp: Language, name: str = "kner_rules", lexicons: Sequence[str] = (), builtin: bool = True):
        self.name = name
        self.cfg = {"lexicons": [str(p) for p in lexicons], "builtin": builtin}
        entries = builtin_entries() if builtin else []
        self._tagger = Tagger(Lexicon(entries))
        for path in lexicons:
            self._tagger.lexicon.add(read_lexicon(path))

    @property
    def lexicon(self) -> Lexicon:
        """The entries in use (built-in first, then user lexicons in the order given)."""
        return self._tagger.lexicon

    def add_lexicon(self, path: str | Path) -> int:
        """Add a user lexicon file (later entries win over earlier ones); returns the number of entries read."""
        entries = read_lexicon(path)
        self._tagger.lexicon.add(entries)
        return len(entries)

    def __call__(self, doc: Doc) -> Doc:
        found, never = self._tagger.spans(doc_text(doc), doc_tokens(doc))
        set_layer(doc, LAYER, found)
        set_layer(doc, NEVER, never)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    # ---- serialisation: JSON entries and cfg, never pickle --------------------------------------------
    def to_bytes(self, *, exclude: Sequence[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self.cfg, "entries": self.lexicon.to_records()})

    def from_bytes(self, data: bytes, *, exclude: Sequence[str] = ()) -> RulesTagger:
        msg = srsly.msgpack_loads(data)
        self.cfg = msg["cfg"]
        self._tagger = Tagger(Lexicon.from_records(msg["entries"]))
        return self

    def to_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self.cfg)
        srsly.write_jsonl(path / "entries.jsonl", self.lexicon.to_records())

    def from_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> RulesTagger:
        path = ensure_path(path)
        self.cfg = srsly.read_json(path / "cfg.json")
        self._tagger = Tagger(Lexicon.from_records(srsly.read_jsonl(path / "entries.jsonl")))
        return self


@Language.factory(
    "kner_rules",
    assigns=["doc._.kner_layers"],
    default_config={"lexicons": [], "builtin": True},
)
def make_rules(nlp: Language, name: str, lexicons: list[str], builtin: bool) -> RulesTagger:
    """Factory: `nlp.add_pipe("kner_rules", config={"lexicons": ["my_terms.tsv"]})`."""
    return RulesTagger(nlp, name, lexicons, builtin)
