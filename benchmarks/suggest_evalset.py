"""A held-out evaluation set for the suggestions: bilingual interviews coded the way people code.

Written for this project (no copied text): per code, English and Chinese sentence patterns with
alternatives ({a|b|c}) so that no two interviews say a thing the same way; distractor sentences
that share a code's words without being about it; everyday talk nobody codes. Coding mimics
people: most topical sentences are coded on the sentence, some on the whole turn (the coding
then covers talk around the topic too), some are missed (coders skip things), some get the
parent code instead of the sub-code. Codes are common or rare, as in real codebooks.

`build(folder, seed)` writes the interviews and a project; run this file to print its size.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# code path -> (weight: how often it comes up, English patterns, Chinese patterns)
TOPICS: dict[str, tuple[float, list[str], list[str]]] = {
    "Service access/Waiting at offices": (3, [
        "I {waited|queued|stood in line} for {three hours|the whole morning|half a day} at the {hukou office|police station|social insurance bureau} and they {still sent me away|told me to come back tomorrow|said a stamp was missing}.",
        "Every time you go to the {government hall|service window|bureau} there is a {long|huge|endless} {queue|line}, {and the window closes at noon|and nobody tells you which form you need|so I take a day off work}.",
        "{We had to|I had to|My husband had to} go back {three|four|five} times just to {renew the residence permit|get one certificate|register the address}, each time {waiting|queuing} from early morning.",
        "The {paperwork|procedure|process} takes {forever|weeks|so long}; you wait in one line, then they send you to another {window|office|floor}.",
        "At the {entry-exit office|visa office|bureau} {the line moved so slowly|nobody moved for hours|the numbers never got called} that {we came back the next day|I gave up|my friend lost his place}.",
        "Getting a simple {stamp|certificate|letter} means {standing|waiting} {in line|in the corridor} {for hours|all day|half the day}.",
    ], [
        "办{居住证|暂住证|社保卡}的时候，我在{派出所|政务大厅|社保局}{排了|等了}{三个小时|一上午|大半天}的队，{最后还说材料不全|结果窗口中午就关了|第二天还得再去}。",
        "每次去{窗口|办事大厅|街道办}都要排{长队|很久的队}，{一个章要跑好几趟|这个窗口让你去那个窗口|工作人员也不说清楚要什么材料}。",
        "{我老公|我|我们}为了{开一个证明|办一个手续|登记地址}，{来回跑了|前前后后去了}{四五趟|好几次}，每次都要{等很久|排队排到中午}。",
        "{手续|流程}太{麻烦|繁琐}了，排完一个队又叫你去{另一个窗口|楼上|别的部门}再排。",
        "{出入境|签证|户籍}窗口{人特别多|号一直叫不到|排队的人排到门外}，{只好第二天再去|等了一天也没办成|我只好请假去排}。",
        "盖一个章{要等一整天|得排半天队|要跑三个部门}，{真的很累|太浪费时间了|我们做生意的哪有这个时间}。",
    ]),
    "Service access/Schooling": (2, [
        "My {son|daughter|older one} {could not get into|was refused by|had no place at} the {public school|local primary school|middle school} because we have no {local hukou|housing contract|social insurance record}.",
        "For the {entrance exam|gaokao|high school exam} the kids have to {go back to|return to} our {hometown|province}, {so we may send them back|which breaks the family|and they barely know the place}.",
        "{We pay|It costs} {a lot|eight thousand a term|too much} for a {private school|migrant school|school for outsiders}, {the teachers change every term|the classes are crowded|it is far from home}.",
        "The school asks for {five certificates|a pile of papers|proof of residence and work} before {enrolment|they accept the child|the term starts}.",
        "My {kids|children} {study|go to school} here but {their textbooks differ from home|they cannot sit the exam here|the school counts them as outsiders}.",
    ], [
        "孩子{上不了|进不去}{公办学校|这边的小学|初中}，因为我们没有{本地户口|房产证|社保记录}。",
        "{中考|高考}要回{老家|户籍地}考，{所以孩子以后还得送回去|孩子对老家一点都不熟|一家人又要分开}。",
        "{民办学校|打工子弟学校|私立学校}学费{很贵|一学期八千|太高了}，{老师经常换|班上人太多|离家又远}。",
        "入学要准备{五证|一大堆材料|居住证和社保证明}，{少一个都不行|我们跑了好多地方才凑齐|学校才肯收}。",
        "孩子在这边{读书|上学}，可是{学籍还在老家|不能在这里参加考试|学校总把他们当外地人}。",
    ]),
    "Service access/Health care": (2, [
        "When {my mother|my wife|I} {got sick|had a fever|needed an operation}, the {hospital|clinic} {would not take our insurance|charged us the full price|asked for a local card}.",
        "{Seeing a doctor|Going to hospital|Medicine} here is {expensive|a problem|hard} because our {medical insurance|new rural insurance|insurance} is from {home|the village|another province}.",
        "We {buy medicine|go to the pharmacy|ask the clinic downstairs} {instead of seeing a doctor|because the hospital queue is too long|since reimbursement is so hard}.",
        "{Reimbursement|Getting the money back} for {hospital bills|the operation|medicine} means {sending papers home|travelling back to the county|months of waiting}.",
    ], [
        "{我妈|我老婆|我}{生病|发烧|要做手术}的时候，{医院|诊所}{不认我们的医保|全部自费|要本地的社保卡}。",
        "在这边{看病|去医院|买药}{很贵|很麻烦|不方便}，因为{医保|新农合|保险}是{老家的|农村的|外省的}。",
        "{小病|感冒}我们就{自己去药店买药|去楼下诊所看看|忍一忍}，{医院排队太久了|报销太麻烦了|看一次病要花好几百}。",
        "{医药费|手术费|住院费}报销要{把单据寄回老家|回县里去办|等好几个月}。",
    ]),
    "Trust/Distrust of officials": (3, [
        "{Honestly|To be honest|Frankly}, {we|people here|I} {do not trust|don't believe|have no faith in} the {residents' committee|street office|officials}; they {say one thing and do another|only care about their targets|never follow up}.",
        "The {cadres|officials|people at the committee} {make promises|come with slogans|take photos} {for the inspection|before the visit|for their report} and then {nothing happens|they disappear|nobody answers the phone}.",
        "{Why would I|I would never|Nobody here will} tell the {committee|government|officials} {my problems|anything real|what we think}; {it only brings trouble|they will not help|they report it upwards}.",
        "{They|The officials|The committee} {only show up|come} when {there is a campaign|the leaders inspect|they need numbers}, so {people keep their distance|we keep quiet|nobody believes them}.",
        "I {stopped believing|lost faith in|do not count on} the {government notices|official promises|committee's words} {a long time ago|after what happened with the rent subsidy|after they ignored our complaint}.",
    ], [
        "说实话，{我们|大家|这边的人}{不信任|不相信|信不过}{居委会|街道|当官的}，{他们说一套做一套|只顾自己的指标|说了也不办}。",
        "{干部|领导|居委会的人}{来检查|搞活动|拍照}的时候{说得很好|承诺一大堆|很热情}，{过后就没人管了|电话都不接|什么都没变}。",
        "{我才不会|谁会|没人会}跟{居委会|政府|他们}说{真心话|自己的困难|实话}，{说了只会惹麻烦|他们也不会帮|还会往上报}。",
        "他们{只有搞运动|领导来视察|要完成任务}的时候才{来|出现}，所以{大家都躲着|我们都不吭声|没人信他们}。",
        "{补贴|承诺|通知}的事{早就不信了|我们已经不指望了|说过好多次都没兑现}，{上次投诉也没人理|钱到现在也没发|都是走形式}。",
    ]),
    "Trust/Neighbour trust": (1.5, [
        "{Our neighbours|The family next door|People in our building} {keep our keys|watch the kids|lend us money} {when we travel|when we are busy|without asking}.",
        "{Here|In this lane|On our floor} {we help each other|people trust each other|everyone knows everyone}, {even though we come from different provinces|even the locals|more than in my hometown}.",
        "If I {need something|am sick|have to go home suddenly}, the {neighbours|auntie downstairs|shop owner next door} {will help|takes care of it|looks after my stall}.",
    ], [
        "{邻居|隔壁那家|楼里的人}{帮我们看孩子|帮我们收快递|借钱给我们}，{从来不计较|很放心|我们出门钥匙都放他们那}。",
        "{在这条巷子里|我们这栋楼|这边}{大家互相帮忙|邻里之间很信任|谁家有事都会搭把手}，{虽然来自不同省份|本地人也一样|比老家还亲}。",
        "我{有事|生病|突然要回老家}的时候，{楼下阿姨|隔壁店的老板|邻居}{会帮我看店|会照顾我|都会来帮忙}。",
    ]),
    "Volunteering": (2, [
        "On {weekends|Saturdays|festival days} I {volunteer|help out} {at the community centre|with the patrol team|at the elderly canteen}, {handing out leaflets|checking the lanes at night|serving meals}.",
        "The {residents' committee|social work station|community} {organised|set up|called} a {volunteer team|patrol group|clean-up day} and {many traders joined|we signed up|even foreigners came}.",
        "During {the epidemic|the flood|Spring Festival} {we|I|my wife} {volunteered|signed up to help|took shifts} {at the checkpoint|delivering food|translating for foreign residents}.",
        "{Being a volunteer|Volunteering|Doing volunteer work} {gives me a sense of purpose|lets me meet locals|earns points at the service station}.",
    ], [
        "{周末|每个星期六|过节的时候}我去{社区中心|巡逻队|老年食堂}做{志愿者|义工}，{发传单|晚上巡查|帮忙打饭}。",
        "{居委会|社工站|社区}{组织了|成立了|发起了}{志愿服务队|巡逻队|大扫除}，{很多商户都参加了|我们都报名了|连外国人都来了}。",
        "{疫情|洪水|春节}期间{我们|我|我老婆}{报名当志愿者|去帮忙|轮流值班}，{在卡口登记|给大家送菜|给外国居民做翻译}。",
        "做{志愿者|义工|志愿服务}{让我觉得有意义|能认识本地人|还能积分换东西}。",
    ]),
    "Kin networks": (2.5, [
        "My {cousin|uncle|brother-in-law} {brought me here|found me the first job|introduced me to the boss} {in 2009|when I was nineteen|after the harvest}.",
        "{Almost everyone|Half the people|Most traders} from our {village|county|hometown} {work in this market|live on this street|came through relatives}; {it is like a chain|one person brings the next|we follow each other}.",
        "{When I arrived|At first|In the beginning} I {stayed with|lived at|slept at} my {aunt's|cousin's|sister's} place {for months|until I found work|without paying rent}.",
        "{Our hometown association|People from my county|My relatives} {lend money|help with the shop|find workers} {without any contract|based on trust|when someone is in trouble}.",
        "{If there is a problem|When we need a loan|For big decisions} we {call family first|ask relatives at home|go to the clan elders}, not the {bank|government|police}.",
    ], [
        "是我{表哥|舅舅|姐夫}{带我出来的|给我介绍的第一份工作|帮我找的老板}，{那年我才十九岁|二零零九年|秋收以后}。",
        "我们{村|县|老家}的人{差不多都在这个市场|大部分住在这条街|都是亲戚带亲戚出来的}，{一个带一个|像一条链子一样|都是跟着老乡来的}。",
        "{刚来的时候|一开始|头几个月}我{住在|借住在|寄住在}{姑姑|表姐|姐姐}家，{没交房租|直到找到工作|一住就是半年}。",
        "{老乡会|同乡|亲戚们}{借钱给你|帮你看店|帮你找工人}，{不用签合同|靠的是信用|谁有困难都会帮}。",
        "{有什么事|要借钱的时候|做大决定}我们{先找家里人|问老家的亲戚|找族里的长辈}，不会去找{银行|政府|警察}。",
    ]),
    "Housing": (2, [
        "The {landlord|owner} {raised the rent|put the rent up|asked for more} {again this year|by a third|twice in two years}, so we {moved|had to move|are looking for a cheaper room} {further out|to the urban village|near the factory}.",
        "{Six of us|Our family of four|Three workers} {share|live in} {one room|a small flat|a room above the shop} {with no window|without a kitchen|next to the machines}.",
        "{Without a contract|Because the flat is rented informally|Since the landlord will not register us} we {cannot get a residence permit|have no address for the school|can be evicted any time}.",
        "{They are demolishing|The government is tearing down|They will redevelop} {our urban village|the old lanes|the block where we live}, and {nobody knows where we will go|the compensation is only for locals|rents nearby have doubled}.",
    ], [
        "{房东|房主}{今年又涨房租了|一下涨了三分之一|两年涨了两次}，我们{只好搬到更远的地方|准备搬去城中村|在找便宜点的房子}。",
        "{我们六个人|一家四口|三个工友}{挤在|住在}{一间屋|一个小单间|店铺楼上的阁楼}里，{没有窗户|没有厨房|旁边就是机器}。",
        "{没有租房合同|房子是私下租的|房东不肯帮我们登记}，{办不了居住证|孩子上学没有地址证明|随时可能被赶走}。",
        "{城中村要拆了|老街要改造|我们住的那片要拆迁}，{不知道以后住哪|补偿只给本地人|周边房租翻了一倍}。",
    ]),
    "Online groups": (1, [
        "We have a {WeChat group|group chat|WeChat group of traders} {for the street|for people from our county|for the building} where {people post jobs|someone shares the new rules|we warn each other about inspections}.",
        "{Most news|Everything|Information about the policy} {comes through|I learn from|spreads in} the {group chat|WeChat groups|Moments} {before the committee says anything|faster than any notice|every evening}.",
        "{In the group|On WeChat} {someone posted|people shared|the admin forwarded} {a video|a warning|a notice} about {the new permit rules|a scam|the rent increase}.",
    ], [
        "我们有个{微信群|老乡群|商户群}，{谁有活就发在里面|新规定大家都在群里转|有检查大家互相提醒}。",
        "{消息|政策|什么事}都是{先在群里传开的|从朋友圈看到的|群里最快}，{比居委会通知还早|每天晚上都在聊|比官方快多了}。",
        "{群里|微信上}有人{发了一个视频|转了一个通知|提醒大家}，说{居住证有新规定|有人在骗钱|房租要涨了}。",
    ]),
}
PARENT_DIRECT = {"Service access": 0.15, "Trust": 0.15}  # share of sub-code passages coded with the parent instead

# talk that shares a code's words without being about it
DISTRACTORS = [
    "{The school|The hospital|The police station} is {just across the road|two stops away|near the market}, {so it is easy to find us|you can walk there|we pass it every day}.",
    "I {waited|queued} for {the bus|a taxi|my friend} {for a while|twenty minutes|in the rain} {and then we went to eat|before the meeting|after work}.",
    "My {cousin|uncle|brother} {likes football|is good at cooking|works as a driver} {and talks a lot|in his free time|these days}.",
    "{We rent|They rented|I rented} {a car|a van|bicycles} {for the trip|to go to the beach|for the festival}.",
    "{The group|Our group|The tour group} {took photos|went to the temple|ate seafood} {by the sea|at the park|in the old town}.",
    "{学校|医院|派出所}{就在马路对面|离这里两站路|在市场旁边}，{找我们很方便|走路就到|每天都经过}。",
    "我{等公交|等朋友|等出租车}{等了一会儿|等了二十分钟|在雨里等}，{然后去吃饭了|后来去开会|下班以后}。",
    "我{表哥|舅舅|哥哥}{喜欢踢球|很会做饭|现在开车}，{平时话很多|空闲时间|这几年}。",
    "{我们|他们}{租了一辆车|租了自行车|租了个面包车}{去旅游|去海边|过节用}。",
    "{我们一群人|旅行团|那个群的人}{去拍照|去庙里|去吃海鲜}，{在海边|在公园|在老城}。",
]
FILLER = [
    "I came to the city in {2008|2011|2015} {with my wife|alone|with two friends from school}.",
    "{The weather|Summer|The winter} here is {hot|damp|mild}, but {I am used to it now|the food makes up for it|you get used to it}.",
    "Most of my customers come from {Dubai|Cairo|Lagos|Almaty} and {order by the container|pay in dollars|come twice a year}.",
    "We sell {socks|toys|phone cases|Christmas decorations} {wholesale|to the Middle East|online as well}.",
    "{Business|Trade|The shop} was {better|slower|busier} {last year|before the epidemic|in spring}.",
    "{On Sundays|In the evening|After closing} I {play cards|watch videos|call my parents} {with friends|for an hour|at home}.",
    "{Yes|Right|Well}, that is {how it was|about it|what I remember}.",
    "我{二零零八年|二零一一年|那年}{一个人|跟老婆|跟同学}来的这边。",
    "{这边的天气|夏天|冬天}{很热|很潮湿|还可以}，{现在已经习惯了|吃的倒是不错|慢慢就适应了}。",
    "{我的客户|买家}{大多是|主要是}{中东的|非洲的|俄罗斯的}，{一次订一个柜|付美元|一年来两次}。",
    "我们{做袜子|卖玩具|做手机壳|做圣诞用品}的{批发|外贸|网店也有}。",
    "{生意|买卖}{去年好一点|疫情前好做|春天比较忙}。",
    "{周末|晚上|收摊以后}我{打打牌|刷刷视频|给爸妈打电话}。",
    "{对|是的|嗯}，{差不多就是这样|我记得是这样|大概就这些}。",
]
QUESTIONS_EN = ["Can you tell me more about that?", "How did that happen?", "What was that like for you?",
                "And then?", "How do you feel about it now?", "Could you give an example?"]
QUESTIONS_ZH = ["能具体说说吗？", "后来呢？", "那时候感觉怎么样？", "现在怎么看这个事情？", "能举个例子吗？"]

_CHOICE = re.compile(r"\{([^{}]*)\}")


def fill(pattern: str, rng: random.Random) -> str:
    return _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), pattern)


def interviews(seed: int = 11, count: int = 40, turns: int = 16):
    """(name, turns as [(speaker, [(sentence, code path or None)])], codings as [(turn, sentence index or None, code path)])."""
    rng = random.Random(seed)
    codes = list(TOPICS)
    weights = [TOPICS[c][0] for c in codes]
    for number in range(count):
        chinese = rng.random() < 0.5  # the interview's main language; a few turns switch
        interests = rng.sample(codes, k=rng.randint(3, 6))  # each person talks about some things
        plan = []
        for _ in range(turns):
            lang_zh = chinese if rng.random() > 0.15 else not chinese
            plan.append(("Interviewer", [(rng.choice(QUESTIONS_ZH if lang_zh else QUESTIONS_EN), None)]))
            sentences = []
            for _ in range(rng.randint(1, 3)):
                roll = rng.random()
                if roll < 0.45:
                    code = rng.choices(interests, [weights[codes.index(c)] for c in interests])[0]
                    patterns = TOPICS[code][2 if lang_zh else 1]
                    sentences.append((fill(rng.choice(patterns), rng), code))
                elif roll < 0.6:
                    pool = [d for d in DISTRACTORS if (any("\u4e00" <= ch <= "\u9fff" for ch in d)) == lang_zh]
                    sentences.append((fill(rng.choice(pool), rng), None))
                else:
                    pool = [f for f in FILLER if (any("\u4e00" <= ch <= "\u9fff" for ch in f)) == lang_zh]
                    sentences.append((fill(rng.choice(pool), rng), None))
            plan.append(("Respondent" if not lang_zh else "受访者", sentences))
        codings = []
        for index, (speaker, sentences) in enumerate(plan):
            topical = [(k, code) for k, (_, code) in enumerate(sentences) if code]
            if not topical:
                continue
            if rng.random() < 0.2:  # coded on the whole turn
                for code in dict.fromkeys(code for _, code in topical):
                    if rng.random() > 0.15:
                        codings.append((index, None, _as_coded(code, rng)))
                continue
            for k, code in topical:
                if rng.random() > 0.2:  # coders miss about one in five
                    codings.append((index, k, _as_coded(code, rng)))
        yield f"E{number:02d}-{'zh' if chinese else 'en'}.txt", plan, codings


def _as_coded(code: str, rng: random.Random) -> str:
    parent = code.split("/")[0]
    if "/" in code and rng.random() < PARENT_DIRECT.get(parent, 0):
        return parent
    return code


def build(folder: Path, seed: int = 11, count: int = 40) -> Path:
    """Write the interviews and a coded project (`evalset.qda`) into folder; return the project path."""
    from workbench.codebook.ops import resolve
    from workbench.imports import import_files
    from workbench.model import Code
    from workbench.store import Project

    folder.mkdir(parents=True, exist_ok=True)
    docs = folder / "interviews"
    docs.mkdir(exist_ok=True)
    written = []
    for name, plan, codings in interviews(seed, count):
        lines, spans = [], {}
        at = 0
        for index, (speaker, sentences) in enumerate(plan):
            head = f"{speaker}{'：' if speaker == '受访者' else ': '}"
            body_start = at + len(head)
            parts, offset = [], body_start
            for k, (sentence, _) in enumerate(sentences):
                spans[(index, k)] = (offset, offset + len(sentence))
                parts.append(sentence)
                offset += len(sentence) + 1
            line = head + " ".join(parts)
            spans[(index, None)] = (body_start, at + len(line))
            lines.append(line)
            at += len(line) + 2
        (docs / name).write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        written.append((name, [(spans[(i, k)], code) for i, k, code in codings]))
    path = folder / "evalset.qda"
    if path.exists():
        path.unlink()
    with Project.create(path) as project:
        ids: dict[str, int] = {}
        for code in TOPICS:
            parts = code.split("/")
            for depth in range(1, len(parts) + 1):
                key = "/".join(parts[:depth])
                if key not in ids:
                    ids[key] = project.add_code(Code(name=parts[depth - 1]), ids.get("/".join(parts[:depth - 1])))
        list(import_files(project, sorted(docs.iterdir()), coder="eval"))
        with project.transaction():
            for name, codings in written:
                doc = project.document_id(name)
                text = project.document(doc).text
                for (start, end), code in codings:
                    assert text[start:end].strip(), (name, start, end)
                    project.add_coding(doc, ids[code], start, end, "eval")
        assert resolve(project, "Trust/Distrust of officials")
    return path


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        built = build(Path(tmp))
        from workbench.store import Project

        with Project.open(built) as project:
            print(len(project.documents()), "interviews,", len(project.codings()), "codings")
