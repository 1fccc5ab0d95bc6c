"""Build benchmarks/data/checkset.jsonl, the kner check set, from marked-up texts.

Eight Korean regional-news articles written for this project (fictionalised but
realistic), annotated by hand per docs/annotation.md. Each entity is written
inline as [[surface|LABEL]]; the markup is stripped to give the text, and the
offsets are computed from the stripped positions, so the output is
deterministic. Never use this set for training or for writing rules.

Usage: python benchmarks/data/make_checkset.py [--check]
  --check   also print every span with its label for review, and exit non-zero
            if any structural check fails.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from kner.formats.markup import strip_markup

OUT = Path(__file__).resolve().parent / "checkset.jsonl"
NOTE = "written for the kner check set; not a real article"
LABELS = ("ORG", "LOC", "PROGRAM")

ARTICLES: list[tuple[str, str]] = []

# --- chk-01: 전남 여수 석유화학 (weather widget, related block, copyright, English summary)
ARTICLES.append(("chk-01", """\
[[전남도|ORG]], [[여수국가산단|LOC]] 석유화학 위기 대응 ‘[[고부가 스페셜티 전환|PROGRAM]]’ 사업 착수
[[남도경제신문|ORG]] | 입력 2025.03.14 15:22 | 수정 2025.03.14 16:05
김서연 기자
맑음[[여수|LOC]]11.8℃ 구름많음[[순천|LOC]]10.2℃ 흐림[[광양|LOC]]10.9℃

[[여수|LOC]]=[[남도경제신문|ORG]] 김서연 기자 = [[전라남도|ORG]]는 14일 [[여수시청|LOC]] 대회의실에서 [[산업통상자원부|ORG]], [[여수시|ORG]], [[한국산업단지공단|ORG]]과 ‘[[고부가 스페셜티 전환|PROGRAM]]’ 사업 협약을 맺고, 중국발 공급과잉으로 가동률이 떨어진 [[여수국가산업단지|LOC]] 석유화학 업계 지원에 본격 나섰다고 밝혔다.

이번 사업은 에틸렌·프로필렌 같은 범용 제품 중심의 생산 구조를 고기능성 소재와 친환경 화학제품으로 바꾸는 것이 목표다. 올해부터 2029년까지 5년간 국비 630억 원을 포함해 모두 1천120억 원이 들어간다. [[전남도|ORG]]는 [[전남테크노파크|ORG]]([[전남TP|ORG]])를 주관기관으로, [[한국화학연구원|ORG]]과 [[전남대학교|ORG]]를 공동 연구기관으로 정했다.

[[여수산단|LOC]]에는 [[LG화학|ORG]], [[롯데케미칼|ORG]], [[GS칼텍스|ORG]], [[한화솔루션|ORG]] 등 대기업과 협력 중소기업 270여 곳이 입주해 있다. 그러나 지난해 [[여수|LOC]] 지역 석유화학 업체들의 평균 가동률은 70%대로 주저앉았고, 일부 나프타분해설비는 가동을 멈췄다. [[전남|LOC]]의 석유화학 생산액도 2년 새 18% 줄었다.

[[전남도|ORG]]는 사업 첫해인 올해 ▲스페셜티 소재 실증 테스트베드 구축 ▲중소 협력사 공정 전환 컨설팅 ▲친환경 촉매 공동 연구에 예산을 나눠 쓴다. 테스트베드는 [[여수산단|LOC]] 안 유휴부지 2만㎡에 들어서는 ‘[[여수 화학소재 실증센터|LOC]]’로, 내년 상반기 착공해 2027년 문을 연다. 센터를 짓는 [[여수 화학소재 실증센터 구축사업|PROGRAM]]에는 국비 210억 원이 따로 배정됐다.

중소 협력사를 위한 장치도 마련했다. [[여수시|ORG]]는 시비 40억 원을 출연해 설비 전환 비용을 저리로 빌려주는 ‘[[석유화학 협력사 상생펀드|PROGRAM]]’를 만들고, [[전남도|ORG]]는 공정을 바꾸는 기업에 최대 2억 원을 주는 [[2025년 석유화학 협력기업 공정전환 지원사업|PROGRAM]] 공고를 다음 달 낸다. [[산단공|ORG]]은 [[여수산단|LOC]] 입주기업 재직자 교육과 노후 배관 안전점검을 맡는다.

[[전남도|ORG]]는 또 [[여수국가산단|LOC]] 일부와 [[율촌제1산단|LOC]]을 묶어 [[기회발전특구|PROGRAM]]로 추가 지정해 달라고 [[산업부|ORG]]에 신청할 계획이다. 특구로 지정되면 입주기업은 법인세와 지방세 감면을 받는다.

박정운 [[전남|ORG]]지사는 “[[여수산단|LOC]]은 우리나라 석유화학 생산의 3분의 1을 맡아 온 곳”이라며 “이번 전환 사업을 계기로 위기를 기회로 바꾸겠다”고 말했다. 최태식 [[여수시|ORG]]장도 “산단이 멈추면 [[여수|LOC]] 경제 전체가 흔들린다”며 “중앙부처와 함께 협력사 고용 유지에 힘을 쏟겠다”고 했다.

관련기사
· [[여수산단|LOC]] 가동률 70%대 추락… 협력사 ‘연쇄 위기’
· [[전남도|ORG]]-[[LG화학|ORG]], 친환경 소재 투자 업무협약
· [[광양만권|LOC]] 수소배관망 연내 착공

저작권자 © [[남도경제신문|ORG]] 무단전재 및 재배포 금지

[English summary] [[South Jeolla Province|ORG]] signed an agreement with the [[Ministry of Trade, Industry and Energy|ORG]], [[Yeosu City|ORG]] and the [[Korea Industrial Complex Corporation|ORG]] to move the petrochemical plants of the [[Yeosu National Industrial Complex|LOC]] toward specialty materials. The five-year effort is worth 112 billion won, and a testing centre will open in [[Yeosu|LOC]] in 2027.
"""))

# --- chk-02: 울산 수소 (ordinance and law titles, event title, 울산형, venue + abbreviation)
ARTICLES.append(("chk-02", """\
[[울산시|ORG]], 수소 트램 달린다…‘[[수소 그린모빌리티 규제자유특구|PROGRAM]]’ 2단계 돌입
[[울산일보|ORG]] 이도현 기자 | 승인 2025.05.21 10:40

[[울산시|ORG]]는 21일 [[울산시청|LOC]] 본관 상황실에서 수소산업 관계기관 회의를 열고, [[울산|LOC]] 전역을 수소 실증 무대로 만드는 [[울산 수소 그린모빌리티 규제자유특구|PROGRAM]] 2단계 운영안을 확정했다고 밝혔다.

회의에는 [[중소벤처기업부|ORG]], [[울산테크노파크|ORG]], [[울산과학기술원|ORG]]([[UNIST|ORG]]), [[한국가스안전공사|ORG]], [[현대자동차|ORG]], [[㈜하이젠모빌리티|ORG]], [[동해수소에너지(주)|ORG]] 등 14개 기관·기업이 참석했다.

2019년 처음 지정된 특구는 그동안 수소 지게차, 수소 선박, 이동식 충전소 등 11건의 실증을 마쳤다. 2단계에서는 2028년까지 국비 290억 원과 시비 150억 원을 들여 [[울산미포국가산업단지|LOC]]와 [[온산국가산업단지|LOC]]를 잇는 11㎞ 구간에서 수소 트램과 수소 화물차를 시험 운행한다. 트램 차량은 [[현대자동차|ORG]] 계열사가 만들고, 충전 설비는 [[동해수소에너지(주)|ORG]]가 공급한다.

[[울산시|ORG]]는 이와 함께 [[남구|LOC]] [[황성동|LOC]] 일원에 ‘[[수소 전주기 안전인증센터|LOC]]’를 짓는다. 센터 건립은 [[산업통상자원부|ORG]] 공모에 선정된 [[수소 전주기 안전인증센터 구축사업|PROGRAM]]으로 추진되며, 완공 뒤 운영은 [[한국가스안전공사|ORG]]가 맡는다. 저장용기와 밸브, 배관 등 수소 부품의 성능 시험을 한곳에서 처리할 수 있어 그동안 [[충북|LOC]]이나 [[경기|LOC]]까지 가야 했던 [[울산|LOC]] 기업들의 부담이 크게 줄 것으로 보인다.

중소 부품기업 지원도 늘린다. [[울산테크노파크|ORG]]는 올해 [[수소 모빌리티 부품 국산화 지원사업|PROGRAM]]으로 30개 기업에 시제품 제작비와 인증비를 최대 1억 원씩 지원하고, [[UNIST|ORG]]는 연료전지 스택 내구성 공동연구를 맡는다. [[울산시|ORG]]는 부생수소를 활용하는 [[수소연료전지 발전 클러스터|PROGRAM]]를 [[온산국가산단|LOC]] 인근에 조성하는 방안도 [[울산 수소산업 진흥 기본계획|PROGRAM]]에 담았다.

제도 정비도 병행한다. [[울산시|ORG]]는 지난 3월 「울산광역시 수소경제 육성 및 수소산업 진흥 조례」를 개정해 수소 기업 입지 보조금 한도를 50억 원으로 높였다. 「수소경제 육성 및 수소 안전관리에 관한 법률」에 따른 일부 안전 기준은 실증 기간 동안 특구 안에서만 완화된다.

수소 트램 노선이 지나는 [[태화강역|LOC]]에는 버스와 트램, 화물차가 함께 쓰는 복합 수소충전소가 들어선다. 건설은 [[한국가스공사|ORG]]가 맡고, [[울산시|ORG]]는 부지와 진입도로를 제공한다.

성과는 오는 10월 [[울산전시컨벤션센터|LOC]]([[UECO|LOC]])에서 열리는 ‘2025 [[울산|LOC]] 수소모빌리티 엑스포’에서 공개된다.

김두석 [[울산시|ORG]]장은 “부생수소 생산량 전국 1위인 [[울산|LOC]]의 강점을 살려 울산형 수소 생태계를 완성하겠다”며 “특구 실증이 끝나면 규제 특례가 전국으로 확대될 수 있도록 [[중기부|ORG]]와 협의하겠다”고 말했다.

Copyright © [[울산일보|ORG]]. All rights reserved.
"""))

# --- chk-03: 강원 춘천 바이오 (quoted name + head outside, brackets inside name, org as venue, long province name + title)
ARTICLES.append(("chk-03", """\
[[강원|LOC]] [[춘천|LOC]]에 바이오 기업 몰린다…‘[[바이오 스케일업|PROGRAM]]’ 프로그램 올해 40곳 선정
입력 2025.02.07 09:12 | [[강원포스트|ORG]] 정민호 기자
흐림[[춘천|LOC]]-2.1℃ 눈[[강릉|LOC]]0.4℃ 흐림[[원주|LOC]]-1.5℃

[[강원특별자치도|ORG]]와 [[춘천시|ORG]]는 7일 [[춘천바이오산업진흥원|ORG]]에서 ‘[[바이오 스케일업|PROGRAM]]’ 프로그램 설명회를 열고 올해 지원 대상 40개 기업을 모집한다고 밝혔다.

이 프로그램은 창업 3년 이상 7년 미만의 바이오·의료기기 기업에 시제품 제작과 임상 설계, 해외 인허가 컨설팅을 묶어 기업당 최대 1억5천만 원을 지원한다. 올해 예산은 도비와 시비를 합쳐 48억 원으로 지난해보다 12억 원 늘었다. 운영은 [[강원테크노파크|ORG]]([[강원TP|ORG]])와 [[춘천바이오산업진흥원|ORG]]이 함께 맡는다.

[[춘천|LOC]]에는 [[거두농공단지|LOC]]와 [[후평일반산업단지|LOC]]를 중심으로 바이오 기업 180여 곳이 모여 있다. 보툴리눔 톡신 제제를 만드는 [[㈜바이오엔젠|ORG]], 진단키트 업체 [[휴온바이오텍(주)|ORG]] 등이 대표적이다. [[강원|LOC]]의 바이오산업 매출은 지난해 2조1천억 원으로 5년 전의 두 배가 됐다.

올해부터는 [[GMP(우수의약품 제조·품질관리기준) 인증 지원사업|PROGRAM]]도 새로 시작한다. 해외 수출을 준비하는 기업이 미국이나 유럽 기준의 GMP 인증을 받을 때 컨설팅과 시험비를 최대 7천만 원까지 지원하는 내용이다. [[한국보건산업진흥원|ORG]]이 심사를 돕고, [[식약처|ORG]]는 인증 절차 안내를 맡는다.

인재 양성은 지역 대학이 맡는다. [[강원대학교|ORG]]와 [[한림대|ORG]]는 바이오공정 계약학과를 열어 내년부터 해마다 60명을 기업에 보낸다. 졸업생이 [[춘천|LOC]] 기업에 2년 이상 다니면 [[춘천시|ORG]]가 [[바이오 청년 정착 장려금|PROGRAM]]으로 월 30만 원을 준다.

[[강원특별자치도|ORG]]는 2019년 지정된 [[강원 디지털헬스케어 규제자유특구|PROGRAM]]의 성과를 바탕으로 바이오 분야 [[소부장 특화단지|PROGRAM]] 지정에도 도전한다. [[중소벤처기업부|ORG]]와 [[산업통상자원부|ORG]]가 하반기 공모를 낼 예정이다. 특화단지로 지정되면 기반시설과 연구개발 예산을 우선 배정받는다.

기업 유치 여건도 개선한다. [[춘천시|ORG]]는 [[거두농공단지|LOC]] 인근 3만㎡ 부지에 바이오 기업 전용 임대공장 10동을 짓고, 입주 기업에는 5년간 임대료의 절반을 깎아준다. [[강원TP|ORG]]는 입주 기업을 대상으로 수출 상담회를 열어 [[일본|LOC]]과 [[베트남|LOC]]의 바이어를 연결할 예정이다.

홍재원 [[강원특별자치도|ORG]]지사는 “[[춘천|LOC]]을 중심으로 [[원주|LOC]]의 의료기기, [[강릉|LOC]]의 천연물 소재를 잇는 바이오 벨트를 만들겠다”고 말했다. 윤상철 [[춘천시|ORG]]장은 “창업 초기를 넘긴 기업이 [[춘천|LOC]]을 떠나지 않도록 성장 단계마다 지원하겠다”고 밝혔다.

관련기사
· [[춘천시|ORG]], 바이오 기업 전용 임대공장 확대
· [[강원TP|ORG]], 의료기기 수출상담회 성과 120억

ⓒ [[강원포스트|ORG]] 무단전재-재배포 금지
"""))

# --- chk-04: 전북 새만금 이차전지 (law title opaque, X지역, English summary, title glued to agency)
ARTICLES.append(("chk-04", """\
[[새만금 이차전지 특화단지|PROGRAM]] 입주기업 20곳 돌파…[[전북자치도|ORG]] “2030년 매출 10조”
[[전북타임스|ORG]] 오세진 기자 | 2025년 04월 12일 14:03

[[전북특별자치도|ORG]]는 12일 [[새만금개발청|ORG]], [[군산시|ORG]]와 함께 [[새만금국가산업단지|LOC]] 5공구에서 이차전지 소재기업 [[㈜새만금에너지머티리얼즈|ORG]]의 양극재 공장 준공식을 열었다. 이로써 2023년 [[새만금 이차전지 국가첨단전략산업 특화단지|PROGRAM]] 지정 이후 입주 계약을 맺은 기업은 21곳으로 늘었다.

이날 준공한 공장은 연간 6만t의 양극재를 생산한다. [[㈜새만금에너지머티리얼즈|ORG]]는 [[SK온|ORG]]과 장기 공급계약을 맺었고, 전구체를 만드는 [[씨앤비소재(주)|ORG]]도 바로 옆 부지에 내년 가동을 목표로 공장을 짓고 있다. [[포스코퓨처엠|ORG]] 역시 [[군산|LOC]] 공장 증설을 검토 중이다.

[[전북특별자치도|ORG]]는 입주기업이 늘어난 만큼 기반시설 확충을 서두른다. 하루 3만t 규모의 공업용수 공급시설과 폐수 전용 처리시설을 2027년까지 완공하고, [[새만금|LOC]]지역 이차전지 기업 재직자를 위한 기숙사 600실을 짓는다. 비용 일부는 [[새만금개발공사|ORG]]가 부담한다.

기술 지원도 강화한다. [[전북테크노파크|ORG]]는 올해 [[새만금 이차전지 기술 고도화 지원사업|PROGRAM]]으로 중소 협력사 25곳의 공정 개선과 시험 분석을 돕고, [[전북대학교|ORG]]와 [[군산대|ORG]]는 [[이차전지 전문인력 양성사업|PROGRAM]]을 통해 해마다 석·박사급 인력 150명을 배출한다. [[한국산업단지공단|ORG]]은 폐배터리 재활용 기업을 한데 모으는 [[이차전지 순환경제 클러스터|PROGRAM]] 설계를 맡았다.

걸림돌도 있다. 「새만금사업 추진 및 지원에 관한 특별법」에 따라 매립지 소유권 정리가 늦어지면서 일부 기업은 착공 시기를 미뤘다. [[새만금개발청|ORG]]은 하반기 [[새만금 기본계획|PROGRAM]]을 변경해 산단 용지를 앞당겨 공급하겠다고 밝혔다.

김도윤 [[전북특별자치도|ORG]]지사는 “특화단지 지정 2년 만에 [[새만금|LOC]]이 국내 이차전지 공급망의 한 축이 됐다”며 “2030년까지 매출 10조 원, 일자리 1만 개를 만들겠다”고 말했다. 장경호 [[새만금개발청|ORG]]장은 “용수와 전력 등 기반시설을 제때 공급하는 데 총력을 기울이겠다”고 했고, 문태성 [[군산시|ORG]]장은 “[[군산|LOC]]과 [[김제|LOC]], [[부안|LOC]]이 함께 성장하도록 협력하겠다”고 했다.

한편 이날 행사가 끝난 뒤 [[전북특별자치도청|LOC]] 공연장에서는 투자기업 간담회가 이어졌다.

관련기사
· [[군산시|ORG]], 이차전지 기업 정주여건 개선에 300억 투입
· [[새만금 신항|LOC]] 첫 선석 개장…배터리 원료 수입 물꼬

저작권자 © [[전북타임스|ORG]] 무단 전재 및 재배포 금지

[English summary] [[Jeonbuk State|ORG]] said the number of companies that have signed up for the [[Saemangeum Secondary Battery Specialised Complex|PROGRAM]] has reached 21, as a cathode plant opened in the [[Saemangeum National Industrial Complex|LOC]]. The [[Saemangeum Development and Investment Agency|ORG]] plans to supply land earlier, and the province will finish water and wastewater facilities by 2027.
"""))

# --- chk-05: 대구 로봇 (site vs. its building project, brackets inside programme, event title, venue building)
ARTICLES.append(("chk-05", """\
[[대구시|ORG]], 로봇산업에 1조 투자…[[대구국가산단|LOC]]에 ‘[[실외 이동로봇 테스트필드|LOC]]’ 문 연다
[[대구경북일보|ORG]] | 배성훈 기자 | 입력 2025.09.18 11:30

[[대구시|ORG]]는 18일 [[엑스코|LOC]]에서 개막한 ‘2025 [[대구|LOC]] 국제로봇산업전’에서 [[대구 로봇산업 육성 5개년 계획|PROGRAM]]을 발표하고, 2030년까지 국비와 시비, 민간자본을 합쳐 1조 원을 투입하겠다고 밝혔다.

계획의 첫 성과는 [[달성군|LOC]] [[대구국가산업단지|LOC]]에 들어서는 [[실외 이동로봇 테스트필드|LOC]]다. 배송·순찰·방역 로봇이 실제 도로와 비슷한 환경에서 주행 성능을 검증하는 시설로, [[산업통상자원부|ORG]]의 [[실외 이동로봇 테스트필드 구축사업|PROGRAM]]에 따라 총 335억 원을 들여 지었다. 운영은 [[한국로봇산업진흥원|ORG]]과 [[대구기계부품연구원|ORG]]이 맡는다.

[[대구|LOC]]의 로봇기업은 2015년 140곳에서 지난해 260곳으로 늘었다. [[HD현대로보틱스|ORG]]가 본사를 [[대구|LOC]]로 옮긴 뒤 협력사들이 [[성서산단|LOC]]과 [[대구국가산단|LOC]]에 잇따라 자리를 잡았다. 감속기를 만드는 [[㈜로봇앤모션|ORG]], 협동로봇 그리퍼 업체 [[(주)에이치케이로보텍|ORG]]이 대표적이다.

[[대구시|ORG]]는 중소기업의 로봇 도입을 돕는 [[제조로봇 선도보급 실증사업|PROGRAM]]을 올해 40개 공장으로 늘리고, 로봇 제어 소프트웨어를 공동으로 쓰는 [[로봇 SW(소프트웨어) 플랫폼 구축사업|PROGRAM]]에 내년까지 120억 원을 넣는다. 소프트웨어 플랫폼은 [[대구경북과학기술원|ORG]]([[DGIST|ORG]])과 [[경북대|ORG]]가 함께 개발한다.

자금 지원도 있다. [[대구시|ORG]]와 [[대구테크노파크|ORG]]는 부품 국산화에 나서는 기업에 투자하는 [[로봇부품 국산화 펀드|PROGRAM]]를 300억 원 규모로 만들었다. 또 [[수성알파시티|LOC]]에는 서비스로봇 기업을 모은 [[지능형 로봇 융합 클러스터|PROGRAM]]를 조성한다.

이웃 지자체와 협력도 넓힌다. [[대구시|ORG]]와 [[경상북도|ORG]]는 [[포항|LOC]]의 이차전지 공장과 [[대구|LOC]] 로봇기업을 잇는 ‘[[제조혁신 로봇 공동실증|PROGRAM]]’ 사업을 함께 추진하기로 했다. 사업비 80억 원은 두 지자체가 절반씩 낸다. [[한국로봇산업진흥원|ORG]]은 로봇기업의 해외 진출을 돕기 위해 [[미국|LOC]] [[실리콘밸리|LOC]]와 [[독일|LOC]] [[뮌헨|LOC]]에 수출 거점을 두기로 했다.

법·제도 기반도 갖췄다. 「지능형 로봇 개발 및 보급 촉진법」 개정으로 실외 이동로봇의 보도 주행이 허용되자, [[대구시|ORG]]는 「대구광역시 로봇산업 육성 및 지원에 관한 조례」를 고쳐 실증 구역을 시 전역으로 넓혔다.

강민혁 [[대구시|ORG]]장은 “로봇은 [[대구|LOC]] 경제를 바꿀 핵심 산업”이라며 “[[대구|LOC]]·[[경북|LOC]]을 아시아 로봇 수도로 키우겠다”고 말했다. 한정우 [[한국로봇산업진흥원|ORG]]장은 “테스트필드에서 쌓은 데이터를 전국 기업과 나누겠다”고 밝혔다.

이번 산업전은 20일까지 [[엑스코|LOC]] 동관과 서관에서 열리며, 국내외 로봇기업 230곳이 참가한다.

관련기사
· [[대구시|ORG]]-[[DGIST|ORG]], 로봇 인재 1천명 양성 협약
· [[성서산단|LOC]] 중소기업 스마트공장 전환율 40% 넘어

[[대구경북일보|ORG]] 배성훈 기자
"""))

# --- chk-06: 광주 AI (abbreviation + parenthesised expansion both ways, org name in event title, nickname of a project)
ARTICLES.append(("chk-06", """\
[[광주시|ORG]] ‘[[AI 실증밸리|PROGRAM]]’ 2단계 예타 통과…6천억 원 투입
[[빛고을뉴스|ORG]] 서하은 기자
등록 2025.11.03 17:45

[[광주광역시|ORG]]는 [[과학기술정보통신부|ORG]]의 [[인공지능 중심 산업융합 집적단지 조성사업|PROGRAM]] 2단계가 [[기획재정부|ORG]] 예비타당성조사를 통과했다고 3일 밝혔다. 1단계에 이어 이른바 ‘[[AI 실증밸리|PROGRAM]]’ 사업이 2030년까지 이어지게 됐다.

2단계 사업에는 2026년부터 5년간 국비 4천억 원을 포함해 모두 6천억 원이 들어간다. [[광주첨단과학산업단지|LOC]] [[첨단3지구|LOC]]에 기업 입주 공간과 실증 장비를 갖춘 ‘[[AI 융합 실증동|LOC]]’을 새로 짓고, 2023년 문을 연 [[국가AI데이터센터|LOC]]의 연산 능력을 두 배로 늘린다.

사업 전담기관인 [[AICA|ORG]]([[인공지능산업융합사업단|ORG]])는 헬스케어·에너지·모빌리티 등 [[광주|LOC]]의 주력 산업과 AI를 잇는 실증 과제 60개를 선정할 계획이다. 이와 별도로 [[정보통신산업진흥원|ORG]]([[NIPA|ORG]])은 [[AI 헬스케어 실증 지원사업|PROGRAM]]으로 병원 데이터를 활용하는 기업 15곳을 지원한다.

[[광주|LOC]]에 둥지를 튼 AI 기업은 2020년 60여 곳에서 올해 430곳으로 늘었다. 의료영상 판독 소프트웨어를 만드는 [[㈜메디에이아이|ORG]], 전력 수요예측 업체 [[광주AI랩스(주)|ORG]] 등은 1단계 실증을 거쳐 해외 시장에 진출했다. [[네이버클라우드|ORG]]는 [[첨단3지구|LOC]]에 연구 거점을 두기로 했다.

1단계 성과도 적지 않았다. 2020년부터 올해까지 4천억 원이 들어간 1단계에서는 [[국가AI데이터센터|LOC]] 구축과 함께 기업 실증 과제 280건이 진행됐고, 입주기업 매출은 3년 새 2.5배로 늘었다. 다만 [[첨단3지구|LOC]] 부지 조성이 늦어지면서 일부 기업은 임시 사무실을 써야 했다. [[광주시|ORG]]는 [[한국토지주택공사|ORG]]([[LH|ORG]])와 협의해 부지 조성 공정을 1년 앞당기기로 했다.

인재 양성은 [[광주과학기술원|ORG]]([[GIST|ORG]])과 [[전남대|ORG]], [[조선대학교|ORG]]가 맡는다. 세 대학은 AI 융합 학과 정원을 늘리고, 입주기업과 함께 현장 실습 과정을 운영한다. [[광주시|ORG]]는 졸업생이 [[광주|LOC]] 기업에 취업하면 [[AI 인재 지역정착 장려금|PROGRAM]]을 지급한다.

투자 유치 수단도 마련됐다. [[광주시|ORG]]와 [[광주은행|ORG]]이 함께 조성한 [[광주 AI 스타트업 펀드|PROGRAM]]는 올해 500억 원으로 커졌다. 지난달 [[김대중컨벤션센터|LOC]]에서 열린 ‘[[AICA|ORG]] 데모데이’에서는 스타트업 12곳이 230억 원의 투자 의향을 받았다.

정민석 [[광주시|ORG]]장은 “2단계 사업으로 [[광주|LOC]]가 AI 실증의 수도가 될 것”이라며 “[[광주|LOC]]·[[전남|LOC]] 에너지 산업과 AI를 묶는 새 모델을 만들겠다”고 말했다. [[과기정통부|ORG]] 관계자는 “데이터센터 증설은 전국 AI 기업이 함께 쓰는 공공 자산이 될 것”이라고 했다.

[[광주시|ORG]]는 [[광주 AI 산업 육성 기본계획|PROGRAM]]을 연말까지 고쳐 2단계 사업 일정과 연계할 방침이다.

<저작권자 © [[빛고을뉴스|ORG]], 무단 전재 및 재배포 금지>
"""))

# --- chk-07: 부산 해양 (부산형, ordinance, abbreviations, weather widget, related block mentioning 제주)
ARTICLES.append(("chk-07", """\
[[부산시|ORG]], [[영도|LOC]]에 해양모빌리티 허브…‘[[해양 스타트업 성장 펀드|PROGRAM]]’ 500억 조성
[[부산해양신문|ORG]] 한지우 기자 2025-06-09 13:10
맑음[[부산|LOC]]22.4℃ 구름조금[[울산|LOC]]21.0℃ 맑음[[창원|LOC]]23.1℃

[[부산시|ORG]]는 9일 [[부산시청|LOC]] 국제회의장에서 [[해양수산부|ORG]], [[부산항만공사|ORG]]([[BPA|ORG]]), [[한국해양과학기술원|ORG]]([[KIOST|ORG]])과 ‘[[해양모빌리티 글로벌 허브 조성사업|PROGRAM]]’ 업무협약을 맺었다고 밝혔다.

이 사업은 [[영도구|LOC]] [[동삼혁신지구|LOC]] 일대 12만㎡에 해양 무인이동체와 친환경 선박 기술을 시험하는 ‘[[해양모빌리티 실증센터|LOC]]’와 기업 입주 공간을 조성하는 내용이다. 2026년부터 2031년까지 국비 1천200억 원과 시비 500억 원이 들어간다. [[해수부|ORG]]는 예산을, [[KIOST|ORG]]는 실증 장비와 연구 인력을, [[BPA|ORG]]는 [[부산항 신항|LOC]]과 [[북항|LOC]]의 실증 해역 사용을 지원한다.

[[부산|LOC]]은 조선·해양 기자재 기업이 1천800여 곳에 이르지만 대부분 영세해 신기술 투자 여력이 부족하다. [[부산시|ORG]]는 이런 기업의 기술 전환을 돕기 위해 [[부산 해양모빌리티 규제자유특구|PROGRAM]]에서 검증된 자율운항 선박 기술을 중소 조선소로 확산하는 [[해양 기자재 스마트화 지원사업|PROGRAM]]을 올해 처음 시작했다.

창업 생태계도 키운다. [[부산시|ORG]]와 [[BNK부산은행|ORG]], [[한국벤처투자|ORG]]가 출자하는 ‘[[해양 스타트업 성장 펀드|PROGRAM]]’는 500억 원 규모로, 해양 드론과 수중 로봇, 스마트 항만 분야 초기 기업에 집중 투자한다. 수중드론 업체 [[㈜오션드론텍|ORG]], 선박 배출가스 저감장치를 만드는 [[(주)블루씨엔지니어링|ORG]]이 첫 투자 대상으로 거론된다.

인력 양성은 [[한국해양대학교|ORG]]와 [[부경대|ORG]]가 맡는다. 두 대학은 [[부산테크노파크|ORG]]와 함께 해양모빌리티 융합전공을 개설하고, [[HJ중공업|ORG]] 등 [[영도|LOC]] 조선소 현장 실습을 연계한다. 부산형 해양 창업 모델로 키우겠다는 구상이다.

제도 기반도 손질했다. [[부산시|ORG]]는 「부산광역시 해양산업 육성에 관한 조례」를 개정해 해양 스타트업에 사무실 임차료를 3년간 지원할 수 있도록 했고, 이를 [[부산 해양산업 육성 기본계획|PROGRAM]]에 반영했다.

조형근 [[부산시|ORG]]장은 “[[부산|LOC]]이 가진 항만과 조선, 연구기관을 하나로 묶어 세계적인 해양모빌리티 거점을 만들겠다”고 말했다. [[해양수산부|ORG]] 장관은 서면 축사에서 “[[영도|LOC]]가 해양 신산업의 출발점이 되길 바란다”고 했다.

성과는 11월 [[벡스코|LOC]]에서 열리는 ‘2025 [[부산|LOC]] 국제해양주간’에서 처음 공개된다.

관련기사
· [[부산항만공사|ORG]], [[북항|LOC]] 친수공원 연말 개방
· [[제주|LOC]] ‘[[전기차 충전서비스 규제자유특구|PROGRAM]]’ 실증 종료…특례 전국 확대

© [[부산해양신문|ORG]] All rights reserved
"""))

# --- chk-08: 충남 천안 디스플레이 (X지역, province title, place inside a programme name, brackets inside name)
ARTICLES.append(("chk-08", """\
[[충남|LOC]] 디스플레이 소부장 숨통…[[충남도|ORG]] ‘[[디스플레이 혁신공정 플랫폼 구축사업|PROGRAM]]’ 본격화
[[충청일보프레스|ORG]] 류지훈 기자 | 2025.07.24

[[충청남도|ORG]]는 24일 [[천안시|ORG]], [[충남테크노파크|ORG]], [[한국디스플레이산업협회|ORG]]와 함께 [[천안제5일반산업단지|LOC]]에서 ‘[[디스플레이 혁신공정센터|LOC]]’ 기공식을 열었다고 밝혔다.

센터는 [[산업통상자원부|ORG]]와 [[충남도|ORG]]가 모두 460억 원을 들이는 [[디스플레이 혁신공정 플랫폼 구축사업|PROGRAM]]의 핵심 시설이다. 중소 장비·소재 기업이 대기업 양산 라인을 빌리지 않고도 차세대 OLED 공정을 시험할 수 있도록 증착·봉지·검사 장비 40여 종을 갖춘다. 2027년 상반기 문을 열고 운영은 [[충남테크노파크|ORG]]가 맡는다.

[[천안|LOC]]·[[아산|LOC]]지역은 [[삼성디스플레이|ORG]]의 [[탕정 디스플레이시티|LOC]]를 중심으로 디스플레이 관련 기업 560여 곳이 모인 국내 최대 생산 거점이다. [[충남|LOC]]의 디스플레이 생산액은 전국의 절반을 넘는다. 그러나 핵심 소재와 부품의 해외 의존도가 여전히 높아 협력사의 기술 자립이 과제로 꼽힌다.

이에 따라 [[충남도|ORG]]는 올해 [[OLED(유기발광다이오드) 소부장 기술자립화 지원사업|PROGRAM]]으로 기업 18곳에 과제당 최대 3억 원을 지원한다. 마스크 세정 장비를 만드는 [[㈜에스디텍|ORG]], 광학필름 업체 [[(주)코리아옵틱스|ORG]] 등이 1차로 선정됐다. [[한국디스플레이산업협회|ORG]]는 대·중소기업 공동 연구과제 발굴을, [[호서대학교|ORG]]와 [[순천향대|ORG]], [[한국기술교육대학교|ORG]]([[코리아텍|ORG]])는 공정 엔지니어 양성을 맡는다.

[[충남도|ORG]]는 또 지난해 지정된 [[천안·아산 디스플레이 국가첨단전략산업 특화단지|PROGRAM]]의 기반시설 예산 확보에도 나섰다. 특화단지에 필요한 전력과 용수 공급 비용 일부를 국비로 지원해 달라고 [[기획재정부|ORG]]에 요청했으며, 이 내용은 [[충남 디스플레이산업 육성 중장기 전략|PROGRAM]]에도 반영됐다. 청년 인력의 지역 정착을 위해서는 [[천안시|ORG]]가 [[디스플레이 청년 근속장려금|PROGRAM]]을 신설해 2년 이상 근무한 청년에게 400만 원을 준다.

백선우 [[충남|ORG]]지사는 “[[충남|LOC]]이 세계 디스플레이 산업의 중심이라는 자부심을 지키려면 협력사의 기술 자립이 필수”라며 “[[충청권|LOC]] 대학, 기업과 함께 공정 기술의 국산화를 앞당기겠다”고 말했다. 박광현 [[천안시|ORG]]장은 “센터가 들어서면 [[천안|LOC]]이 디스플레이 장비 실증의 거점이 될 것”이라고 했다.

[[충남도|ORG]] 관계자는 “기공식에 앞서 [[충남도청|LOC]]에서 협력사 대표들과 간담회를 열고 현장 건의사항을 들었다”며 “하반기에는 [[내포신도시|LOC]]에서 투자설명회도 열 계획”이라고 밝혔다.

관련기사
· [[아산|LOC]] [[탕정 디스플레이시티|LOC]] 2단계 부지 보상 착수
· [[충남TP|ORG]], 디스플레이 중소기업 해외 전시회 공동관 운영

<저작권자 © [[충청일보프레스|ORG]] 무단전재 및 재배포 금지>
"""))


def strip(markup: str) -> tuple[str, list[dict]]:
    """Remove [[surface|LABEL]] marks; return the plain text and its spans."""
    text, spans = strip_markup(markup)
    if "[[" in text or "]]" in text:
        raise ValueError("unparsed markup left in text: " + text[text.find("[["):][:60])
    return text, spans


QUOTES = "‘’“”'\"「」『』<>()[]《》〈〉"


def check(records: list[dict], verbose: bool) -> list[str]:
    problems: list[str] = []
    ids = set()
    for rec in records:
        text, spans = rec["text"], rec["spans"]
        if rec["id"] in ids:
            problems.append(f"{rec['id']}: duplicate id")
        ids.add(rec["id"])
        if not 1200 <= len(text) <= 2500:
            problems.append(f"{rec['id']}: length {len(text)} outside 1200-2500")
        prev_end = -1
        for sp in spans:
            s, e, lab = sp["start"], sp["end"], sp["label"]
            surf = text[s:e]
            if lab not in LABELS:
                problems.append(f"{rec['id']}: bad label {lab}")
            if not (0 <= s < e <= len(text)):
                problems.append(f"{rec['id']}: bad offsets {s}-{e}")
            if s < prev_end:
                problems.append(f"{rec['id']}: overlap/unsorted at {s}")
            prev_end = e
            if surf != surf.strip() or "\n" in surf:
                problems.append(f"{rec['id']}: whitespace in span {surf!r}")
            if (surf[0] in QUOTES and not surf.startswith("(주)")) or (surf[-1] in QUOTES and not surf.endswith("(주)")):
                problems.append(f"{rec['id']}: quote/bracket at span edge {surf!r}")
            if verbose:
                nxt = text[e:e + 3].replace("\n", "⏎")
                print(f"{rec['id']} {s:5d}-{e:<5d} {lab:8s} {surf}  ⟨{nxt}⟩")
    return problems


def build() -> list[dict]:
    records = []
    for rid, markup in ARTICLES:
        text, spans = strip(markup.rstrip("\n"))
        records.append({"id": rid, "text": text, "spans": spans, "meta": {"note": NOTE}})
    return records


def main() -> int:
    verbose = "--check" in sys.argv[1:]
    records = build()
    problems = check(records, verbose)
    with OUT.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    counts = Counter(sp["label"] for rec in records for sp in rec["spans"])
    lengths = [len(r["text"]) for r in records]
    print(f"wrote {OUT} ({len(records)} records, lengths {lengths})")
    print("spans per label:", {lab: counts[lab] for lab in LABELS}, "total", sum(counts.values()))
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
