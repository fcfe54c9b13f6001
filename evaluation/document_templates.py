"""The blank forms of the social-credit application (001 §15): 《社会信用评价申报表》《社会信用评价
信息登记表》《医疗机构承诺书》《国家行业评价确认书》. The institution downloads them, fills them in,
signs and seals them, and uploads the scans (【提交资料】: 下载资料，先填写后上传).

Each is rendered to PDF from one server template; ``templates_attach`` puts them on the
programme's documents that have none yet (the demo and a fresh installation use it; the office
may upload its own versions in the admin at any time).
"""
from django.core.files.base import ContentFile
from django.db import transaction

from core.pdf import render_pdf

BASIC = ["机构名称（与执业许可证一致）", "统一社会信用代码", "医疗机构执业许可证登记号", "机构类型", "地址", "邮政编码",
         "法定代表人", "主要负责人", "开业日期", "床位数 / 牙椅数", "经办人及手机号", "电子邮箱"]

FORMS = {
    "社会信用评价申报表": {
        "sections": [
            ("一、机构基本情况", BASIC),
            ("二、申报信息", ["申报类别（首次评价 / 续评）", "是否为医保定点机构", "近两年获得的荣誉", "申报理由"]),
        ],
        "statement": "本机构自愿申请参加社会信用评价，承诺所填信息及提交的材料真实、准确、完整，"
                     "愿意接受协会及第三方信评机构的核查，并遵守《医疗机构社会信用评价管理办法》。",
        "signatures": ["法定代表人（签字）", "单位（盖章）", "日期"],
    },
    "社会信用评价信息登记表": {
        "sections": [
            ("一、人员情况", ["在职职工总数", "卫生技术人员数", "执业医师数（其中口腔执业医师）", "注册护士数",
                         "医技人员数", "高级职称人数 / 中级职称人数"]),
            ("二、近三年运营情况", ["年诊疗人次（近三年各年）", "年业务收入（万元，近三年各年）", "医保结算人次（近三年各年）",
                           "患者满意度调查结果"]),
            ("三、合规与信用记录", ["执业许可证校验情况", "近两年行政处罚记录（无则填“无”）", "近两年医疗纠纷及处理情况",
                           "近两年医疗事故（无则填“无”）", "其他需要说明的信用记录"]),
        ],
        "statement": "以上信息由本机构如实填写，如有虚假，愿承担相应责任。",
        "signatures": ["填表人", "单位（盖章）", "日期"],
    },
    "医疗机构承诺书": {
        "paragraphs": [
            "本机构自愿参加中国非公立医疗机构协会组织的社会信用评价，并郑重承诺：",
            "一、本机构合法存续，各种执业资格资质证照齐全，医疗机构的规模和基本设置达到国家《医疗机构管理条例》"
            "《医疗机构基本标准（试行）》所要求的标准；",
            "二、严格执行《中华人民共和国基本医疗卫生与健康促进法》《医疗机构管理条例》等法律法规，没有伪造、变造、买卖、"
            "出租、出借《医疗机构执业许可证》，按时校验，没有擅自变更诊疗科目或超出登记范围开展诊疗活动；",
            "三、严格执行《中华人民共和国医师法》《护士条例》等法律法规，不使用非卫生技术人员从事医疗卫生技术工作；",
            "四、两年内无重大事故（含医疗事故）、无严重违法违规行为记录、无造成重大社会不良影响的事件；",
            "五、所提交的全部申报材料真实、准确、完整，如有虚假，自愿承担由此产生的一切后果，并接受协会取消评价资格或撤销评价结果的处理。",
        ],
        "signatures": ["法定代表人（签字）", "单位（盖章）", "日期"],
    },
    "国家行业评价确认书": {
        "paragraphs": [
            "本机构已阅读并知悉《医疗机构社会信用评价管理办法》的全部内容，确认如下事项：",
            "一、同意按照协会公布的评价标准、程序和方法接受评价，并按第三方信评机构缴费标准缴纳评价费用；",
            "二、同意评价结果经评价领导小组审议后在协会网站公示七个工作日，公示无异议后予以发布；",
            "三、知悉对初评结果有异议的，可在收到结果后五个工作日内申请复议，复议仅限一次；",
            "四、评价结果有效期三年，有效期内接受协会的动态监管，出现失信行为的，协会可依规降级或撤销评价结果。",
        ],
        "signatures": ["法定代表人（签字）", "单位（盖章）", "日期"],
    },
}


def template_pdf(name: str) -> bytes:
    """The blank form ``name`` as a printable PDF."""
    return render_pdf("evaluation/document_template_pdf.html", {"title": name, **FORMS[name]})


def templates_attach(*, programme) -> int:
    """Give each of the programme's documents that has no template its blank form; returns how many."""
    attached = 0
    with transaction.atomic():
        for document in programme.documents.select_for_update().filter(template="", name__in=FORMS):
            document.template.save(f"{document.name}.pdf", ContentFile(template_pdf(document.name)), save=True)
            attached += 1
    return attached
