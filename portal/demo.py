"""Demo site content: realistic columns, menus, articles, standards and links."""
import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from core.pdf import render_pdf

from .models import Article, ArticleAttachment, Column, FriendlyLink, MenuItem, SiteSettings

INTRODUCTION = (
    "<p>中国非公立医疗机构协会（简称“中国非公协”）是经国务院同意、民政部登记注册的全国性、行业性、非营利性社会组织，"
    "业务主管单位为国家卫生健康委员会。</p>"
    "<p>口腔分会是中国非公协下设的专业分会，由全国社会办口腔医疗机构、口腔医疗相关企业及专家学者组成。"
    "分会致力于推动口腔行业规范化建设，组织开展社会信用评价和服务能力星级评价等国家行业评价工作，"
    "制定团体标准，开展继续医学教育与学术交流，维护会员合法权益，促进社会办口腔医疗高质量发展。</p>"
)

COLUMNS = [
    # slug, name, kind, position, description
    ("news", "新闻动态", Column.Kind.ARTICLES, 1, "分会工作动态与行业新闻"),
    ("notices", "通知公告", Column.Kind.ARTICLES, 2, "会议通知、工作安排与公示"),
    ("evaluation", "行业评价", Column.Kind.ARTICLES, 3, "社会信用评价与服务能力评价相关政策和进展"),
    ("standards", "团体标准", Column.Kind.DOCUMENTS, 4, "分会发布的团体标准文本下载"),
]

ARTICLES = [
    ("news", "口腔分会2026年度工作会议在北京召开", True,
     "会议总结了分会年度工作，部署了国家行业评价、团体标准建设和会员服务等重点任务。"),
    ("news", "第十届社会办口腔医疗发展论坛成功举办", True,
     "来自全国的600余位社会办口腔医疗机构负责人和专家学者参加论坛，围绕质量安全与高质量发展展开研讨。"),
    ("news", "分会组织专家赴西部地区开展口腔健康义诊", False,
     "义诊活动覆盖12个县区，免费为群众提供口腔检查和健康宣教服务。"),
    ("news", "口腔医疗质量管理培训班在成都举办", False,
     "培训内容包括医疗质量安全核心制度、院感防控和病历书写规范。"),
    ("news", "分会与多家口腔医学院校签署人才培养合作协议", False,
     "双方将在临床实习基地建设、继续教育和科研合作等方面深化合作。"),
    ("news", "全国爱牙日系列宣传活动启动", False,
     "今年爱牙日主题为“口腔健康，全身健康”，各会员单位将同步开展科普活动。"),
    ("news", "分会举办口腔种植规范化诊疗专题研讨会", False,
     "与会专家就种植适应证把握、术前评估和并发症防范形成共识。"),
    ("notices", "关于开展2026年度会员会费缴纳工作的通知", True,
     "请各会员单位于规定时间内登录会员中心完成会费缴纳，支持微信支付和对公转账。"),
    ("notices", "关于召开第三届理事会第五次会议的通知", False,
     "会议将审议年度工作报告、财务报告，并选举增补理事。"),
    ("notices", "关于征集口腔团体标准立项建议的通知", False,
     "欢迎会员单位和专家围绕临床诊疗、服务规范和管理要求提出立项建议。"),
    ("notices", "关于做好冬季口腔诊疗感染防控工作的提示", False,
     "请各机构严格落实诊疗器械消毒灭菌、环境清洁和手卫生等要求。"),
    ("notices", "2026年度国家行业评价拟评价机构名单公示", False,
     "公示期为7个工作日，公示期内如有异议，可通过门户网站提交书面意见。"),
    ("evaluation", "医疗机构社会信用评价管理办法（2022年修订）解读", False,
     "办法明确了评价等级、评价程序、申诉处理和结果应用等内容，评价结果有效期三年。"),
    ("evaluation", "社会办医服务能力星级评价工作问答", False,
     "服务能力评价分为三星、四星、五星，申请机构须具备相应的社会信用等级。"),
    ("evaluation", "2026年第二批社会信用评价结果公布", False,
     "经专家评审、委员会审议和公示，共有86家机构获得AA级以上信用等级。"),
    ("evaluation", "评价专家库专家增补遴选工作启动", False,
     "遴选对象为具有副高以上职称或医疗机构中高层管理经验的专家。"),
]

STANDARDS = [
    "T/CNMIA 0012-2024 口腔诊所感染防控规范",
    "T/CNMIA 0013-2024 口腔种植诊疗服务规范",
    "T/CNMIA 0015-2025 社会办口腔医疗机构服务能力评价标准",
    "T/CNMIA 0018-2025 口腔医疗机构患者满意度调查规范",
]

LINKS = [
    ("国家卫生健康委员会", "http://www.nhc.gov.cn/"),
    ("中国非公立医疗机构协会", "http://www.cnmia.org/"),
    ("中华口腔医学会", "http://www.cndent.com/"),
    ("国家医疗保障局", "http://www.nhsa.gov.cn/"),
]


def _body(summary: str) -> str:
    return (
        f"<p>{summary}</p>"
        "<h3>主要内容</h3>"
        "<ul><li>坚持以会员需求为导向，提升服务质量和效率；</li>"
        "<li>推动行业自律与诚信体系建设；</li><li>加强专业培训和学术交流。</li></ul>"
        "<p>口腔分会将持续做好相关工作，欢迎各会员单位积极参与。</p>"
    )


def seed():
    settings = SiteSettings.get_solo()
    if not settings.introduction:
        settings.introduction = INTRODUCTION
        settings.hotline = "010-6388 0000"
        settings.address = "北京市西城区某某路 1 号"
        settings.email = "kq@cnmia.example"
        settings.icp_number = "京ICP备00000000号-1"
        settings.save()
    columns = {}
    for slug, name, kind, position, description in COLUMNS:
        columns[slug], _ = Column.objects.get_or_create(slug=slug, defaults={
            "name": name, "kind": kind, "position": position, "description": description,
            "show_on_home": kind == Column.Kind.ARTICLES,
        })
    now = timezone.now()
    for days, (slug, title, pinned, summary) in enumerate(ARTICLES):
        Article.objects.get_or_create(title=title, defaults={
            "column": columns[slug], "summary": summary, "body": _body(summary), "pinned": pinned,
            "status": Article.Status.PUBLISHED, "author": "口腔分会秘书处", "publish_at": now - dt.timedelta(days=days * 3),
        })
    about, _ = Article.objects.get_or_create(title="分会介绍", defaults={
        "column": columns["news"], "body": INTRODUCTION, "status": Article.Status.PUBLISHED,
        "publish_at": now - dt.timedelta(days=400),
    })
    for n, title in enumerate(STANDARDS):
        standard, created = Article.objects.get_or_create(title=title, defaults={
            "column": columns["standards"], "summary": "团体标准正式文本，自发布之日起实施。",
            "status": Article.Status.PUBLISHED, "publish_at": now - dt.timedelta(days=30 * (n + 1)),
        })
        if created:
            pdf = render_pdf("pdf/notice.html", {"title": title, "paragraphs": ["本标准规定了相关术语、要求和评价方法。"],
                                                 "date": timezone.localdate()})
            attachment = ArticleAttachment(article=standard, name=f"{title}.pdf")
            attachment.file.save("standard.pdf", ContentFile(pdf), save=False)
            attachment.save()
    if not MenuItem.objects.exists():
        for position, (title, target) in enumerate([
            ("首页", {"page": MenuItem.Page.HOME}), ("分会介绍", {"article": about}),
            ("新闻动态", {"column": columns["news"]}), ("通知公告", {"column": columns["notices"]}),
            ("行业评价", {"column": columns["evaluation"]}), ("团体标准", {"column": columns["standards"]}),
            ("入会申请", {"page": MenuItem.Page.JOIN}), ("会员中心", {"page": MenuItem.Page.CENTRE}),
            ("国家行业评价", {"page": MenuItem.Page.EVALUATION}), ("结果公示", {"page": MenuItem.Page.NOTICES}),
            ("结果查询", {"page": MenuItem.Page.REGISTRY}), ("学分继教", {"page": MenuItem.Page.EDUCATION}),
            ("医药产品团购", {"page": MenuItem.Page.PURCHASING}),
        ]):
            MenuItem.objects.create(title=title, position=position, **target)
    for position, (name, url) in enumerate(LINKS):
        FriendlyLink.objects.get_or_create(name=name, defaults={"url": url, "position": position})
    return []
