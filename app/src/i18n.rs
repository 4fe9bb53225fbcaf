//! Every word a user sees goes through here. Simplified Chinese is the
//! default, English the second language; the choice is a cookie read the same
//! way on the server and in the browser, so hydration sees the same text.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn from_code(code: &str) -> Lang {
        if code.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
    /// The language named by a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .map(|(_, v)| Lang::from_code(v))
            .unwrap_or_default()
    }
    /// Picks the text of this language from a pair (Chinese first).
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

pub const LANG_COOKIE: &str = "lang";

/// The language of this page, from the request cookie on the server and from
/// `document.cookie` in the browser.
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .map(|c| Lang::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

pub fn provide_lang() -> Lang {
    let lang = initial_lang();
    provide_context(lang);
    lang
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The text of `msg` in the page's language.
pub fn t(msg: impl Text) -> &'static str {
    msg.text(use_lang())
}

/// A fixed text with its Chinese and English.
pub trait Text: Copy {
    fn text(self, lang: Lang) -> &'static str;
}

macro_rules! messages {
    ($(#[$doc:meta])* $name:ident { $($key:ident => $zh:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key,)* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key,)*];
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$key, Lang::Zh) => $zh, ($name::$key, Lang::En) => $en,)*
                }
            }
        }
        impl Text for $name {
            fn text(self, lang: Lang) -> &'static str {
                $name::text(self, lang)
            }
        }
    };
}

messages! {
    /// Every fixed text of the hydrated pages, with its Chinese and English.
    Msg {
    AppTitle => "城镇居民基本医疗保险服务平台", "Urban Residents' Basic Medical Insurance Portal";
    AppShort => "居民医保", "Resident Medical Insurance";
    Login => "登录", "Log in";
    Logout => "退出登录", "Log out";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    LoginTitle => "登录服务平台", "Log in to the portal";
    LoginRefused => "用户名或密码不正确。", "The username or password is not correct.";
    LoginLocked => "登录失败次数过多，账户已暂时锁定，请15分钟后再试。", "Too many failed log-ins: the account is locked for a while. Try again in 15 minutes.";
    SwitchLanguage => "English", "中文";
    LanguageLabel => "语言", "Language";
    Home => "首页", "Home";
    Welcome => "欢迎", "Welcome";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "您访问的页面不存在或已被移动。", "The page you asked for does not exist or has moved.";
    BackHome => "返回首页", "Back to the home page";
    ErrorTitle => "出错了", "Something went wrong";
    ErrorBody => "请求未能完成。请稍后重试；如果问题持续存在，请联系经办机构。", "The request could not be completed. Try again later; if it persists, contact the agency.";
    ErrUnauthorized => "请先登录。", "Please log in first.";
    ErrForbidden => "您无权访问此记录。", "You are not allowed to see this record.";
    ErrNotFound => "记录不存在。", "The record does not exist.";
    ErrCrossSite => "请求来自其他网站，已拒绝。", "The request came from another site and was refused.";
    ErrInternal => "系统内部错误，操作未完成，数据未被修改。", "Internal error: nothing was changed.";
    ErrUsername => "用户名须为3–40个字母、数字、点、下划线或连字符。", "A username is 3–40 letters, digits, dots, underscores or hyphens.";
    ErrUsernameTaken => "该用户名已被使用。", "That username is already taken.";
    ErrPasswordShort => "密码至少需要8个字符。", "A password needs at least 8 characters.";
    ErrDisplayName => "请填写姓名。", "Please enter the name.";
    ErrOrgRequired => "该角色必须属于一个机构。", "This role must belong to an organisation.";
    ErrOrgUnknown => "机构代码不存在。", "No organisation has that code.";
    ErrOrgWrongKind => "该机构类型与角色不符。", "That organisation is not of the kind this role needs.";
    ErrHouseholdRequired => "参保居民账户必须关联一个家庭户。", "A resident's account must belong to a household.";
    ErrInvalid => "输入有误，请检查后重试。", "Some input is not valid: check it and try again.";
    RoleResident => "参保居民", "Resident";
    RoleOfficeAgent => "社区劳动保障事务所经办人", "Community office agent";
    RoleSchoolAgent => "学校经办人", "School agent";
    RoleAgencyReviewer => "医保经办机构审核员", "Agency reviewer";
    RoleAgencyAdmin => "医保经办机构管理员", "Agency administrator";
    YourRole => "您的身份", "Your role";
    Organisation => "所属机构", "Organisation";
    MyHousehold => "我的家庭", "My household";
    HouseholdNumber => "户号", "Household number";
    Address => "地址", "Address";
    Members => "家庭成员", "Members";
    IdNumber => "身份证号码", "Identity number";
    Name => "姓名", "Name";
    NoRecords => "暂无记录。", "Nothing here yet.";
    OfficeHouseholds => "本所登记的家庭户", "Households registered by this office";
    SchoolPupils => "本校登记的学生", "Pupils registered by this school";
    ReviewQueue => "待审核事项", "Waiting for review";
    ReviewQueueEmpty => "目前没有待审核的登记或报销申请。", "No registrations or claims are waiting for review.";
    ReviewQueueCount => "有 {n} 条参保登记等待审核。", "{n} enrolments are waiting for review.";
    Accounts => "账户管理", "Accounts";
    AuditTrail => "审计日志", "Audit trail";
    AuditChainOk => "审计链完整：共 {n} 条记录，未发现篡改。", "The audit chain is intact: {n} entries, no tampering found.";
    AuditChainBroken => "审计链在第 {n} 条记录处断裂，可能被篡改！", "The audit chain breaks at entry {n}: it may have been tampered with!";
    AuditWhen => "时间", "When";
    AuditWho => "操作人", "Who";
    AuditWhat => "操作", "What";
    AuditRecord => "记录", "Record";
    CreateAccount => "新建账户", "Create an account";
    DisplayName => "姓名", "Full name";
    Role => "角色", "Role";
    OrgCode => "机构代码", "Organisation code";
    HouseholdId => "家庭户编号（居民）", "Household id (residents)";
    Create => "创建", "Create";
    AccountCreated => "账户已创建。", "The account was created.";
    Active => "有效", "Active";
    Inactive => "停用", "Inactive";
    WorkList => "我的待办", "My work list";
    SkipToContent => "跳到主要内容", "Skip to main content";
    PublicIntro => "查询参保资格和个人缴费金额，估算住院费用报销，无需登录。", "Check who may enrol and what they pay, and estimate a hospital reimbursement, without logging in.";
    LoggedInAs => "当前用户", "Logged in as";
    Loading => "正在加载…", "Loading…";
    CheckTitle => "参保资格与待遇测算", "Check eligibility and estimate benefits";
    CheckNav => "参保测算", "Check & estimate";
    QuoteTitle => "参保资格和个人缴费", "Who may enrol, and what they pay";
    EstimateTitle => "住院及门诊费用报销估算", "Estimate a reimbursement";
    PolicyYear => "参保年度", "Policy year";
    Circumstances => "参保人情况（如实勾选）", "Circumstances (tick what applies)";
    FactInSchool => "在校学生（含幼儿园、中小学、职高、中专、技校）", "In school (kindergarten to secondary, vocational or technical school)";
    FactEmployeeInsured => "已参加城镇职工基本医疗保险", "Insured in the urban-employee scheme";
    FactFlexible => "以灵活就业人员身份参加职工医保", "Insured as a flexible-employment worker";
    FactNcms => "已参加新型农村合作医疗", "Enrolled in the new rural cooperative scheme (NCMS)";
    FactMigrantChild => "随父母在城镇居住的农民工子女", "Child of a migrant-worker family living in town";
    FactDibao => "城市最低生活保障对象（低保）", "Receives the urban minimum living allowance (dibao)";
    FactLowIncome => "低收入家庭成员", "Member of a low-income household";
    FactDisability => "残疾等级（持《残疾人证》）", "Disability grade (certificate)";
    FactHukouMoved => "非农业户口迁入本地的年份（如有）", "Year the non-agricultural hukou moved here (if any)";
    FactMinorBlood => "未成年人血液系统疾病", "Minor with a blood-system disease";
    NoneOption => "无", "None";
    GetQuote => "测算", "Get the quote";
    ClaimKind => "费用类别", "Kind of care";
    KindInpatient => "定点医院住院", "Inpatient stay at a designated hospital";
    KindTransfer => "经批准转外就医", "Approved transfer";
    KindNondesignated => "非定点医院急诊住院", "Emergency stay at a non-designated hospital";
    KindOutpatientEmergency => "门诊急诊抢救", "Outpatient emergency rescue";
    KindSpecialOutpatient => "门诊特殊疾病", "Special-disease outpatient care";
    KindStudentAccident => "学生无责任意外伤害", "Pupil's no-fault accident";
    HospitalGrade => "医院等级", "Hospital grade";
    Grade3 => "三级医院", "Grade 3";
    Grade2 => "二级医院", "Grade 2";
    Grade1 => "一级医院（含乡镇卫生院、社区卫生服务中心）", "Grade 1 (incl. township and community centres)";
    InCatalogue => "符合目录的费用（元）", "In-catalogue amount (yuan)";
    AdmissionOrdinal => "本年度第几次住院", "Admission number this year";
    ContinuousYears => "连续缴费年限", "Continuous contribution years";
    SpecialDisease => "门诊特殊疾病病种", "Special disease";
    DisTransplant => "器官移植抗排异治疗", "Organ-transplant anti-rejection";
    DisCancer => "恶性肿瘤放化疗", "Cancer radio/chemotherapy";
    DisDialysis => "尿毒症透析", "Uraemia dialysis";
    DisTb => "结核病", "Tuberculosis";
    DisPsychosis => "精神病", "Psychosis";
    DisDiabetes => "糖尿病（胰岛素治疗）", "Insulin-treated diabetes";
    PaidThisYear => "本年度基金已支付（元）", "Already paid by the fund this year (yuan)";
    Estimate => "估算", "Estimate";
    WhyThisAnswer => "为什么是这个结果", "Why this answer";
    BirthDate => "出生日期", "Birth date";
    AgeForYear => "年龄（截至上年12月31日）", "Age (on 31 December of the year before)";
    PersonalShare => "个人缴费", "Personal contribution";
    TotalContribution => "筹资标准", "Total contribution";
    SubsidyCentral => "中央财政补助", "Central government subsidy";
    SubsidyRegion => "自治区财政补助", "Region subsidy";
    SubsidyLeague => "盟本级财政补助", "League subsidy";
    SubsidyCounty => "旗县市财政补助", "County subsidy";
    RegisteredBy => "登记机构", "Registered by";
    EvidenceNeeded => "还需提供的证明", "Extra evidence needed";
    Yuan => "元", "yuan";
    FundPays => "基金支付", "The fund pays";
    Deductible => "起付标准", "Deductible";
    Ratio => "支付比例", "Ratio";
    NotPaidBecause => "不予支付的原因", "Not paid because";
    ErrIdLength => "身份证号码应为18位。", "An identity number has 18 characters.";
    ErrIdChar => "身份证号码前17位应为数字，最后一位为数字或X。", "The first 17 characters must be digits, the last a digit or X.";
    ErrIdChecksum => "身份证号码校验码不符，可能有一位输错，请核对。", "The check character does not match: a character is probably mistyped.";
    ErrIdBirth => "身份证号码中的出生日期不是有效日期。", "The birth date in the identity number is not a real date.";
    ErrIdRegion => "身份证号码前两位不是有效的省级行政区划代码。", "The first two digits are not a province code.";
    ErrPolicyYear => "该年度的参保政策尚未发布。", "That policy year's parameters are not published.";
    ErrAmount => "金额格式不正确，请输入如 1234.56 的数字。", "The amount is not valid: enter a number such as 1234.56.";
    CatStudent => "在校学生", "Student";
    CatChild => "未成年居民", "Child";
    CatMigrantChild => "农民工子女", "Migrant worker's child";
    CatElderly => "老年居民", "Elderly resident";
    CatDisabledAdult => "重度残疾成年人", "Severely disabled adult";
    TierAdultStandard => "成年人标准档", "Adult, standard";
    TierAdultAssisted => "成年人困难资助档", "Adult, assisted";
    TierMinorStandard => "未成年人标准档", "Minor, standard";
    TierMinorAssisted => "未成年人困难资助档", "Minor, assisted";
    RegSchool => "所在学校（园）", "The school";
    RegOffice => "户籍所在地社区劳动保障事务所", "The community labour-security office";
    EvDibao => "《城市居民最低生活保障金领取证》", "Dibao certificate";
    EvDisability => "一级或二级《残疾人证》", "Disability certificate, grade 1 or 2";
    EvLowIncome => "民政部门出具的低收入家庭证明", "Civil-affairs proof of low income";
    EvTempResidence => "暂住证", "Temporary-residence permit";
    RefNcms => "已参加新型农村合作医疗，不能重复参保", "Enrolled in NCMS: one person, one scheme";
    RefEmployee => "已参加城镇职工基本医疗保险", "Insured in the urban-employee scheme";
    RefHukou => "户口迁入时间不足，可于迁入次年起参保", "Hukou moved in too recently: may enrol from the following year";
    RefWorkingAge => "劳动年龄内人员应以灵活就业身份参加职工医保", "Working-age adults belong in employee insurance as flexible workers";
    NpNotCovered => "就医时处于中断缴费、未参保或暂停待遇期间", "Not covered on the day of care (interrupted, inactive or suspended)";
    NpExcluded => "属于不予支付的情形（斗殴、犯罪、醉酒、自残、自杀、交通事故、医疗事故等）", "An excluded cause (fight, crime, drunkenness, self-harm, suicide, traffic or medical accident)";
    NpTransfer => "转外就医未经批准", "Transfer without the agency's approval";
    NpNotFiled => "急诊未在3日内向经办机构备案", "Emergency not filed with the agency within 3 days";
    NpNotSpecial => "不属于门诊特殊疾病病种", "Not one of the special diseases";
    SexMale => "男", "male";
    SexFemale => "女", "female";
    PolicyParams => "年度政策参数", "Policy-year parameters";
    PolicyParamsIntro => "每个参保年度的筹资标准、补助、缴费期限、待遇标准和节假日安排均为参数。已发布的年度不可修改；更正以新版本发布，每项决定都记录所用的版本。", "Every amount, ratio, deadline and holiday of a policy year is a parameter. A published year is never edited: a correction is a new version, and every decision records the version it used.";
    Version => "版本", "Version";
    PublishedAt => "发布时间", "Published";
    InForce => "现行", "In force";
    Shipped => "随系统发布", "Shipped with the portal";
    PublishYear => "发布新年度或更正", "Publish a new year or a correction";
    PublishHelp => "以下草稿由最新年度复制而来，年度加一，节假日安排已清空。请按政府公布的标准和节假日修改后发布。", "The draft below copies the newest year, moved on by one, with the holiday calendar emptied. Edit it to the published amounts and holidays, then publish.";
    ParamsText => "参数（TOML格式）", "Parameters (TOML)";
    Publish => "发布", "Publish";
    Published => "已发布：", "Published:";
    EnrolTitle => "参保登记", "Enrolment";
    Enrolment => "参保情况", "Enrolment";
    RegisterPerson => "登记参保人员", "Register a person";
    Household => "家庭户", "Household";
    Register => "登记", "Register";
    Enrolments => "本单位的参保登记", "Enrolments entered here";
    Tier => "类别与档次", "Category and tier";
    Status => "状态", "Status";
    StatusDraft => "待提交", "Draft";
    StatusSubmitted => "已提交，待审核", "Submitted, waiting for review";
    StatusApproved => "已审核通过", "Approved";
    StatusRejected => "已退回", "Sent back";
    RejectedBecause => "退回原因", "Sent back because";
    EvidenceAccepted => "已核验的证明", "Evidence accepted";
    AcceptEvidence => "已核验：", "Accept:";
    SubmitForReview => "提交审核", "Submit for review";
    WhyThisTier => "为什么是这个档次", "Why this tier";
    Approve => "审核通过", "Approve";
    Reject => "退回", "Send back";
    RejectReason => "退回原因", "Reason for sending back";
    ErrAlreadyEnrolled => "此人本年度已经参保登记（本单位或其他单位），不能重复登记。", "This person is already enrolled for that year (here or elsewhere).";
    ErrEvidenceMissing => "该档次所需证明尚未核验，不能提交。", "The evidence this tier needs has not been accepted: it cannot be submitted.";
    ErrMakerChecker => "录入、提交或核验该记录的人员不能审核该记录。", "Whoever entered, submitted or checked this record cannot decide it.";
    ErrWrongRegistrar => "此人应由其他登记机构（学校或社区劳动保障事务所）登记。", "This person is registered by another kind of registrar (school or community office).";
    ErrWrongStatus => "该记录当前状态不允许此操作。", "The record's status does not allow that.";
    ErrReasonRequired => "退回必须填写原因。", "Sending back needs a reason.";
    ErrPersonFacts => "参保人信息不完整。", "The person's facts are incomplete.";
    ErrPersonExists => "该身份证号码已登记在其他家庭户或学校。", "That identity number is already registered in another household or school.";
    EvIdCard => "居民身份证", "Identity card";
    EvHouseholdRegister => "居民户口簿", "Household register (hukou booklet)";
    EvPhoto => "近期免冠照片", "Recent passport-style photo";
    PreRegNav => "网上预登记", "Pre-register online";
    PreRegWaiting => "居民网上预登记（待办理）", "Residents' pre-registrations waiting";
    OpenItem => "办理", "Open";
    ErrDocumentType => "上传的文件不是图片（JPEG、PNG、WebP、HEIC）或PDF文件，未保存任何内容。", "An uploaded file is not an image (JPEG, PNG, WebP, HEIC) or a PDF: nothing was saved.";
    ErrDocumentTooLarge => "上传的文件超过大小限制，未保存任何内容。请缩小照片后重试。", "An uploaded file is over the size limit: nothing was saved. Make the photo smaller and try again.";
    ErrEvidenceCode => "请选择证明材料的类别。", "Choose what kind of certificate it is.";
    RegFormNav => "打印参保登记表", "Print the registration form";
    OfficeListNav => "本所参保人员名册（签字报送）", "This office's list of registered residents (to sign)";
    ErrPolicyParams => "参数文件无法读取或校验未通过，未作任何修改。", "The parameters could not be read or did not check: nothing was changed.";
    // Contributions: notices, payments, receipts, declarations, status.
    NoticeTitle => "缴费通知单", "Payment notice";
    NoticeNumber => "通知单号", "Notice number";
    AmountDue => "个人应缴金额", "Personal amount due";
    Amount => "金额", "Amount";
    DueDate => "缴费期限", "Pay by";
    NoticeStatus => "缴费情况", "Payment";
    Paid => "已缴费", "Paid";
    Unpaid => "未缴费", "Not paid";
    PayOnline => "在线支付", "Pay online";
    TakeCash => "收取现金并开具收据", "Take cash and issue a receipt";
    PrintPage => "打印", "Print";
    ScanToVerify => "扫描二维码核验此通知单", "Scan the QR code to verify this notice";
    ReceiptTitle => "缴费收据", "Payment receipt";
    ReceiptNumber => "收据号", "Receipt number";
    PaidAt => "缴费时间", "Paid at";
    Channel => "缴费方式", "Paid by";
    ChOfficeCash => "社区劳动保障事务所现金收取", "Cash at the community office";
    ChSchoolCash => "学校代收现金", "Cash at school";
    ChOnline => "在线支付", "Online payment";
    BackPaymentMark => "补缴(中断期间的医疗费用不予支付)", "Back-payment (care while interrupted is not paid)";
    OverpaymentMark => "重复缴费,待退款", "Paid twice: to be refunded";
    CoveredSince => "自 {n} 起享受待遇", "Covered since {n}";
    CollectedBy => "收款人", "Collected by";
    SimTitle => "模拟支付", "Payment simulator";
    SimWarning => "这是本平台内置的模拟支付渠道,仅用于演示和测试,不会产生真实扣款。", "This is the portal's built-in payment simulator, for demonstrations and tests only: no real money moves.";
    SimConfirm => "确认支付", "Confirm payment";
    OrderNumber => "订单号", "Order number";
    WaitingForProvider => "正在等待支付渠道的到账通知……", "Waiting for the payment provider's notification…";
    VerifyTitle => "缴费通知单核验", "Payment notice verification";
    VerifyGenuine => "此通知单真实有效。", "This notice is genuine.";
    PaymentsDesk => "收缴与申报", "Premiums and declarations";
    NoticesOfOrg => "已审核参保人员的缴费通知单", "Payment notices of approved enrolments";
    UndeclaredPremiums => "待申报的现金保费(收款后3个工作日内申报)", "Cash premiums to declare (within 3 working days of collection)";
    DeclareBy => "申报期限", "Declare by";
    OverdueMark => "已逾期", "Overdue";
    DeclareNow => "生成保费申报核定表", "Declare to the agency";
    Declarations => "已申报的核定表", "Declarations made";
    DeclarationTitle => "保费申报核定表", "Premium declaration";
    DeclarationNumber => "核定表号", "Declaration number";
    TotalAmount => "合计金额", "Total";
    PaymentCount => "笔数", "Payments";
    DeclaredBy => "申报人", "Declared by";
    DeclaredAt => "申报时间", "Declared at";
    OverdueDeclarations => "逾期未申报保费的单位", "Offices and schools late declaring premiums";
    OverdueCount => "{n} 笔现金保费已超过申报期限,请立即申报。", "{n} cash premium(s) past the declaration deadline: declare now.";
    UndeclaredCount => "{n} 笔现金保费待申报。", "{n} cash premium(s) to declare.";
    ContributionStatus => "缴费状态", "Contribution status";
    StActive => "正常享受待遇", "Covered";
    StGrace => "本年度未缴费,待遇暂时继续", "This year unpaid; cover continues for now";
    StInterrupted => "中断缴费,停止享受待遇", "Interrupted: no benefits";
    StNotEnrolled => "未参保缴费", "Not enrolled";
    DueWarning => "请在 {n} 前缴费", "Please pay by {n}";
    DaysLeft => "还剩 {n} 天", "{n} day(s) left";
    PastDue => "已过缴费期限", "Past the due date";
    SignatureLine => "经办人签字:__________  审核人签字:__________", "Agent's signature: __________  Reviewer's signature: __________";
    ErrAlreadyPaid => "该年度已经缴费,不能重复缴费。", "This year is already paid: it cannot be paid twice.";
    ErrLateEnrolment => "已过新参保人员当年缴费期限(4月30日),请登记参加下一年度。", "Too late for a new enrollee this year (30 April): enrol for the next year.";
    ErrNothingToDeclare => "没有待申报的保费。", "There is nothing to declare.";
    ErrNotApproved => "参保登记尚未审核通过,暂不能开具缴费通知单。", "The enrolment is not approved yet: no payment notice.";
    Sweeps => "5月1日缴费清查(中断缴费)", "1 May sweeps (interruptions)";
    SweepInterrupted => "{n} 人中断缴费", "{n} interrupted";
    CardsTitle => "社会保障卡(医保卡)制发", "Insurance cards";
    CardsPending => "已收卡费、待报送的制卡人员(收费后2个工作日内报送)", "Card fees taken, to list for the information centre (within 2 working days)";
    CardListBy => "报送期限", "List by";
    SendCardList => "生成制卡名单并报送信息中心", "Send the card list to the information centre";
    CardsToTake => "可收取卡费的参保人员", "Enrolled residents without a card";
    TakeCardFee => "收取卡费", "Take the card fee";
    CardLists => "制卡名单(信息中心收到名单后7个工作日内制卡)", "Card lists (cards made within 7 working days of the list)";
    CardsMade => "已制卡", "Cards made";
    CardsMakeBy => "制卡期限", "Make by";
    MarkCardsMade => "制卡完成", "Cards made";
    CardsDue => "{n} 人的制卡名单待报送。", "{n} card(s) to list.";
    CardsLate => "{n} 人的制卡名单已超过报送期限。", "{n} card(s) past the listing deadline.";
    CardListsLate => "{n} 份制卡名单已超过制卡期限。", "{n} card list(s) past the card-making deadline.";
    ErrCardPending => "此人已收取卡费,正在制卡流程中。", "A card fee for this person is already being processed.";
    ErrNoCardsPending => "没有待报送的制卡人员。", "There are no cards to list.";
    ErrNothingToPay => "该人员无需个人缴费。", "This person has nothing to pay.";
    // School roster import.
    RosterTitle => "学生花名册导入", "School roster import";
    RosterUpload => "上传花名册", "Upload the roster";
    RosterIntro => "CSV（UTF-8 或 GBK 编码）或 Excel（.xlsx）文件，不超过5MB。第一行为表头：身份证号、姓名必填；班级、户籍（本地/外来）、低保（是/否）、残疾等级（1–4）、新农合（是/否）可选。学生不论年龄和户籍均按在校学生参保。可先试检查，确认无误后再导入；同一文件重复导入不会重复登记。", "A CSV (UTF-8 or GBK) or Excel (.xlsx) file of at most 5 MB. The first row names the columns: 身份证号 (identity number) and 姓名 (name) are required; 班级 (class), 户籍 (本地 local / 外来 migrant), 低保 (是/否), 残疾等级 (1–4) and 新农合 (是/否) are optional. Pupils of any age and hukou enrol as students. Check first, then import; importing the same file again registers no one twice.";
    RosterTemplate => "下载花名册模板（CSV）", "Download the roster template (CSV)";
    RosterFile => "花名册文件", "Roster file";
    RosterDryRun => "试检查（不写入）", "Check only (writes nothing)";
    RosterImport => "检查并导入", "Check and import";
    RosterDryRunReport => "检查结果（尚未导入）", "Check report (nothing imported yet)";
    RosterImportReport => "导入结果", "Import report";
    RosterRows => "数据行数", "Data rows";
    RosterWouldImport => "可导入 {n} 人", "{n} pupils can be imported";
    RosterImported => "已导入 {n} 人", "{n} pupils imported";
    RosterAlready => "{n} 人此前已导入，未作改动", "{n} already imported earlier, left as they were";
    RosterBad => "{n} 行有误，未导入", "{n} rows have errors and were not imported";
    RosterImportChecked => "导入已检查的文件", "Import the checked file";
    RosterDownloadBad => "下载有误的行（CSV），修改后重新上传", "Download the bad rows (CSV) to fix and upload again";
    RosterBadRows => "有误的行", "Rows with errors";
    RosterRow => "行号", "Row";
    RosterReason => "原因", "Reason";
    RosterLeaveTitle => "毕业或离校", "Graduated or left";
    RosterLeaveIntro => "学生毕业或离校后不再由本校登记：未满18周岁的转由户籍所在地社区劳动保障事务所登记，满18周岁的参加职工医保。本年度已有的参保登记保持不变。", "A pupil who graduates or leaves is no longer the school's to register: under 18 they continue through the community office, from 18 in employee insurance. This year's enrolment stands.";
    RosterLeaveReason => "离校原因", "Why the pupil leaves";
    RosterGraduated => "毕业", "Graduated";
    RosterLeft => "转学或退学", "Moved or left school";
    RosterMarkLeft => "登记离校", "Mark as left";
    RosterMarkedLeft => "已登记离校，该学生不再属于本校。", "Done: the pupil is no longer on this school's roster.";
    ErrFileTooBig => "文件超过5MB，未作任何修改。请拆分后分批上传。", "The file is over 5 MB: nothing was changed. Split it and upload the parts.";
    ErrFileKind => "文件不是CSV或Excel（.xlsx）表格，未作任何修改。旧版 .xls 文件请另存为 .xlsx 或 CSV。", "The file is neither a CSV nor an Excel (.xlsx) sheet: nothing was changed. Save an old .xls file as .xlsx or CSV.";
    ErrFileEmpty => "文件中没有学生数据，未作任何修改。", "The file holds no pupils: nothing was changed.";
    ErrFileHeader => "第一行须为表头，且包含“身份证号”和“姓名”两列；未作任何修改。", "The first row must name the columns, including 身份证号 (identity number) and 姓名 (name): nothing was changed.";
    ErrFileTooManyRows => "一个文件最多20000行，请拆分后上传；未作任何修改。", "At most 20,000 rows per file: split it. Nothing was changed.";
    ErrFileMissing => "请选择要上传的文件。", "Choose a file to upload.";
    ErrMissingIdNumber => "缺少身份证号码", "Identity number missing";
    ErrMissingName => "缺少姓名", "Name missing";
    ErrDuplicateInFile => "与文件中前面某行的身份证号码重复", "Same identity number as an earlier row of the file";
    ErrEnrolledElsewhere => "此人本年度已由其他单位登记参保", "Already enrolled this year by another office or school";
    ErrPupilOfOtherSchool => "此人在其他学校的花名册中", "On another school's roster";
    ErrNameDiffers => "姓名与该身份证号码已登记的姓名不一致", "The name differs from the one recorded for this identity number";
    ErrBadHukou => "户籍应填“本地”或“外来”", "户籍 must be 本地 (local) or 外来 (migrant)";
    ErrBadYesNo => "低保、新农合应填“是”或“否”", "低保 and 新农合 must be 是 (yes) or 否 (no)";
    ErrBadDisabilityGrade => "残疾等级应为1至4或留空", "残疾等级 (disability grade) must be 1 to 4 or empty";
    ClaimsNav => "医疗费用报销", "Claims for medical costs";
    ClaimReviewNav => "报销审核", "Claim review";
    PaymentRunsNav => "报销支付批次", "Payment runs";
    RefundsNav => "多缴费用退还", "Overpayments to refund";
    StatisticsNav => "统计报表", "Statistics";
    ClaimsAtFirst => "待初审的报销：{n}笔", "Claims waiting for the first review: {n}";
    ClaimsAtSecond => "待复审的报销：{n}笔", "Claims waiting for the second review: {n}";
    ApprovalsWaiting => "待答复的事先审批：{n}件", "Approval requests to answer: {n}";
    ClaimsToPay => "审核通过待编入支付批次：{n}笔", "Approved claims not yet in a run: {n}";
    ErrNotOurPupil => "本校花名册中没有此身份证号码的学生。", "No pupil with that identity number is on this school's roster.";
}
}

#[cfg(feature = "ssr")]
messages! {
    /// The texts of the pages rendered on the server only (pre-registration,
    /// printed papers): kept out of the WebAssembly, which never shows them.
    PaperMsg {
    PreRegTitle => "家庭成员网上预登记", "Pre-register your household";
    PreRegIntro => "填写家庭成员的身份证号码、姓名和情况，用手机拍下证件。社区劳动保障事务所核对后为您办理参保登记，医保经办机构审核。", "Enter each member's identity number, name and circumstances, and photograph their papers with your phone. The community office checks them and registers you; the agency then reviews.";
    PreRegAdd => "添加或修改一位家庭成员", "Add or update a household member";
    PreRegSend => "提交预登记", "Send the pre-registration";
    PreRegSaved => "预登记已保存，等待社区劳动保障事务所办理。", "Saved: the community office will take it from here.";
    PreRegNone => "还没有预登记的家庭成员。", "No household member is pre-registered yet.";
    PhotoIdCard => "身份证照片", "Photo of the identity card";
    PhotoHouseholdRegister => "户口簿本人页照片", "Photo of the member's page of the household register";
    PhotoCertificate => "证明材料照片（可选多张）", "Photos of certificates (several allowed)";
    CertificateKind => "证明材料类别", "Kind of certificate";
    PhotoHelp => "可直接用手机拍照，或选择图片（JPEG、PNG、WebP、HEIC）或PDF文件，每个文件不超过 {n} MB。", "Take a photo with the phone, or choose an image (JPEG, PNG, WebP, HEIC) or a PDF, at most {n} MB each.";
    PreRegPending => "待事务所办理", "Waiting for the office";
    PreRegCompleted => "事务所已登记，提交审核", "Registered by the office and sent for review";
    WhereToRegister => "办理机构", "Where to register";
    WhatToBring => "办理时请携带", "What to bring";
    DocumentsUploaded => "已上传的证件", "Documents uploaded";
    CorrectFacts => "更正参保人信息", "Correct the person's facts";
    SaveCorrection => "保存更正", "Save the correction";
    Corrected => "已更正，并记入审计日志。", "Corrected, with an audit entry.";
    CompletePreReg => "已核对照片：登记并提交审核", "Photos checked: register and submit for review";
    PreRegDone => "已登记并提交审核，等待医保经办机构审核。", "Registered and submitted: waiting for the agency's review.";
    RegFormTitle => "城镇居民基本医疗保险参保登记表", "Urban residents' basic medical insurance registration form";
    PrintNow => "打印", "Print";
    ScanForRecord => "扫码查看本户记录", "Scan for this household's record";
    Sex => "性别", "Sex";
    Seq => "序号", "No.";
    TotalRow => "合计", "Total";
    PersonsCount => "人数", "Persons";
    OfficeListTitle => "参保人员登记名册", "List of registered residents";
    SignAgent => "经办人（签字）", "Agent (signature)";
    SignHead => "事务所负责人（签字、盖章）", "Head of office (signature, seal)";
    SignAgency => "医保经办机构接收人（签字）", "Received by the agency (signature)";
    SignResident => "参保人或户主（签字）", "Insured person or head of household (signature)";
    DateLine => "日期", "Date";
    Show => "显示", "Show";
    RefundsTitle => "多缴费用退还", "Overpayments to refund";
    RefundsHelp => "同一年度已缴费后又到账的款项不并入保费，在此列出，退还后由管理员记录。", "Money that arrived for a year already paid is never merged into the premium: it is listed here until an administrator records that it went back.";
    NothingToRefund => "没有待退还的款项。", "Nothing to refund.";
    MarkRefunded => "已退还", "Mark refunded";
    Refunded => "已记录退还：", "Refund recorded:";
}
}

#[cfg(feature = "ssr")]
messages! {
    /// The texts of the agency's statistics (server-rendered only).
    StatsMsg {
    Help => "按县区统计所选年度的参保、缴费和报销情况，数据为查询时的实时数据。报销按就诊结束（出院）日期所在年度统计。", "Enrolment, premiums and claims of the chosen year, per county, as they stand now. Claims count in the year their care ended (the discharge year).";
    Year => "年度", "Year";
    Show => "查看", "Show";
    DownloadCsv => "下载CSV（按县区）", "Download CSV (per county)";
    Enrolment => "参保与缴费", "Enrolment and premiums";
    County => "县区", "County";
    Total => "合计", "Total";
    Enrolled => "已核准参保人数", "Enrolled (approved)";
    AwaitingReview => "待审核", "Awaiting review";
    PersonalShare => "个人缴费", "Personal shares";
    Subsidies => "各级财政补助", "Subsidies";
    Paid => "已缴费人数", "Premiums paid";
    PaidAmount => "已缴金额", "Amount paid";
    PaidOnline => "其中网上缴费", "Of which online";
    BackPayments => "补缴人数", "Back payments";
    Unpaid => "未缴费人数", "Not yet paid";
    ByTier => "按人员类别和补助档次", "By category and subsidy tier";
    Category => "人员类别", "Category";
    Tier => "档次", "Tier";
    Persons => "人数", "Persons";
    Claims => "医疗费用报销", "Claims";
    ClaimCount => "报销笔数", "Claims";
    Filed => "申请笔数", "Filed";
    InReview => "审核中", "In review";
    Approved => "已核准待支付", "Approved, to pay";
    Refused => "拒付", "Refused";
    PaidClaims => "已支付", "Paid";
    Billed => "申请金额", "Billed";
    Payout => "核定支付金额", "Payout decided";
    PaidOut => "已支付金额", "Paid out";
    Refusals => "拒付原因", "Reasons for refusal";
    Nothing => "该年度没有记录。", "Nothing recorded for this year.";
}
}

#[cfg(feature = "ssr")]
messages! {
    /// The texts of the claim pages (server-rendered only).
    ClaimMsg {
    MyClaims => "我的报销申请", "My claims";
    NoClaims => "还没有报销申请。", "No claims yet.";
    FileClaim => "申请报销", "File a claim";
    Claim => "报销申请", "Claim";
    Claims => "笔数", "Claims";
    Member => "参保人", "Insured person";
    Kind => "类别", "Kind";
    Disease => "特殊病病种", "Special disease";
    ReportEmergency => "急诊抢救备案", "Report an emergency";
    EmergencyHelp => "在非定点医疗机构急诊住院或门诊紧急抢救的，须在{n}日内向医保经办机构备案，逾期不予支付（第二十一、二十二条）。账单尚未出来也可先备案。", "An emergency stay at a non-designated hospital or an outpatient emergency rescue must be reported to the agency within {n} days, or it is not paid (M21, M22). Report it before the bills exist if need be.";
    OccurredOn => "急诊日期", "Day of the emergency";
    DaysLeftTemplate => "还剩{n}天可以备案（截止{d}）。", "{n} days left to report it (by {d}).";
    ReportTooLate => "已超过备案期限，备案将被拒绝。", "The deadline has passed: the report will be refused.";
    Hospital => "医疗机构名称", "Hospital";
    Note => "说明", "Note";
    SendReport => "备案", "Report";
    Reports => "已备案的急诊", "Emergencies reported";
    ReportedAfter => "发生后第{n}天备案", "reported after {n} days";
    Approvals => "事先审批", "Prior approvals";
    ApprovalsHelp => "转外地住院（急诊转院须在3日内补办）、特殊病门诊治疗、单项超过1000元的特殊检查治疗，须先经医保经办机构审批。", "A transfer out of the area (an emergency transfer within 3 days after), special-disease outpatient treatment, and special items over 1,000 yuan need the agency's approval first.";
    ApprovalKind => "审批事项", "What needs approval";
    CareOn => "就医（转院、治疗）日期", "Day of the care";
    ItemAmount => "特殊项目金额（元，仅特殊检查治疗填写）", "Amount of the special item (yuan, special items only)";
    DoneInEmergency => "急诊已先行治疗", "Already done in an emergency";
    Reason => "理由", "Reason";
    AskApproval => "提交审批申请", "Ask for approval";
    MonthFrom => "本月治疗起始日期", "First day of care this month";
    MonthTo => "本月治疗截止日期", "Last day of care this month";
    CareFrom => "入院（就诊）日期", "Admitted (or seen) on";
    CareTo => "出院日期", "Discharged on";
    HospitalGrade => "医院等级", "Hospital grade";
    Grade1 => "一级（含乡镇卫生院、社区卫生服务中心）", "Grade 1 (incl. township and community health centres)";
    Grade2 => "二级", "Grade 2";
    Grade3 => "三级", "Grade 3";
    GradeN => "{n}级医院", "grade {n}";
    Billed => "医疗费用总额（元）", "Total billed (yuan)";
    InCatalogue => "目录内合理费用（元）", "In-catalogue, reasonable amount (yuan)";
    FilingAgent => "经办人（代为申请的人）", "Filed by (经办人)";
    Relation => "与参保人关系", "Relation to the insured";
    PayTo => "报销款支付账户", "Pay the claim to";
    BankAccount => "银行账号", "Bank account number";
    AccountName => "账户名", "Account holder";
    FileAndUpload => "提交申请，然后上传材料", "File the claim, then upload the documents";
    DocumentsNeeded => "需要的材料", "Documents needed";
    HelpSpecial => "特殊病门诊费用按月申请报销，病种须事先经医保经办机构审批（第二十三条）。", "Special-disease outpatient care is claimed month by month; the disease must have the agency's approval first (M23).";
    HelpTransfer => "经批准转外地住院的费用，出院后申请报销；未经批准的不予支付（第十八、十九条）。", "A stay elsewhere approved as a transfer is claimed after discharge; without the approval it is not paid (M18, M19).";
    HelpEmergency => "急诊抢救须已在3日内备案；按同级定点医疗机构标准支付（第二十一、二十二条）。", "The emergency must have been reported within 3 days; it is paid at the standard of a designated hospital of the same grade (M21, M22).";
    HelpAccident => "在校学生无责任意外伤害（交通事故、打架斗殴、酗酒、自残自杀等除外），单独计算年度限额（第十一条）。", "A pupil's no-fault accident (not traffic, fights, drunkenness, self-harm or suicide), with its own annual cap (B11).";
    Documents => "报销材料", "Documents";
    StillMissing => "还缺少", "Still missing";
    PhotoHelp => "可直接拍照，或选择图片（JPEG、PNG、WebP、HEIC）或PDF，每个文件不超过 {n} MB；可一次选择多张。网络中断后重新上传不会重复。", "Take photos or choose images (JPEG, PNG, WebP, HEIC) or PDFs, at most {n} MB each; several at once. Uploading again after a lost connection adds nothing twice.";
    DocumentKind => "材料类别", "Kind of document";
    ChoosePhotos => "拍照或选择文件", "Take photos or choose files";
    Upload => "上传", "Upload";
    Uploading => "正在上传", "Uploading";
    Uploaded => "已上传", "Uploaded";
    AlreadyThere => "已存在，跳过", "Already there, skipped";
    Retrying => "网络中断，正在重试", "Connection lost, retrying";
    UploadFailed => "上传失败", "Upload failed";
    Estimate => "预计报销金额", "Estimated payout";
    EstimateHelp => "审核前的估算：假定全部费用都属目录内合理费用，按您的缴费记录计算。实际金额以审核为准。", "An estimate before review, as if all of the bill were in the catalogue, from your payment record. The review decides the amount.";
    AtMost => "最多", "At most";
    Decision => "审核结果", "Decision";
    Payout => "报销金额", "Payout";
    ReasonLabel => "原因", "Reason";
    StepFiled => "已提交", "Filed";
    StepFirstReview => "初审", "First review";
    StepSecondReview => "复审", "Second review";
    StepReturned => "退回初审", "Sent back to the first review";
    StepApproved => "复审通过", "Approved";
    StepRefused => "不予支付", "Refused";
    StepPaid => "已支付", "Paid";
    StepFraud => "查实骗保", "Fraud recorded";
    StepOther => "其他", "Other";
    ToCome => "（待办）", "(to come)";
    PaidInRun => "已在支付批次 {n} 中支付，支付日", "Paid in run {n}, on";
    WaitingForRun => "审核通过，将在以下日期开始的支付期支付：", "Approved: it is paid in the window starting";
    FirstReviewer => "初审人", "First reviewer";
    SecondReviewer => "复审人", "Second reviewer";
    FirstReview => "初审", "First review";
    SecondReview => "复审", "Second review";
    FirstNote => "初审意见", "First review's note";
    DocumentsFalseProposed => "初审认定材料弄虚作假：复审确认后拒付全部费用并停止待遇12个月（第二十九条）。", "The first review found the documents false: if confirmed, the whole claim is refused and benefits are suspended for 12 months (M29).";
    Cause => "致伤原因（无则不选）", "Cause of injury (if any)";
    EarlierAdmissions => "本年度此前在定点医院已结算的住院次数", "Earlier admissions this year settled at designated hospitals";
    MinorBlood => "未成年人血液系统疾病", "Minor with a blood-system disease";
    DocumentsFalse => "材料弄虚作假", "Documents are false";
    SendToSecond => "初审完成，送复审", "First review done: send to the second";
    Confirm => "复审确认", "Confirm";
    SendBack => "退回初审", "Send back";
    YouDidFirst => "（您已初审）", "(your first review)";
    FiledAt => "提交时间", "Filed at";
    FirstPage => "第一页", "First page";
    Next => "下一页", "Next";
    Approve => "同意", "Approve";
    Refuse => "不同意", "Refuse";
    InterestRate => "骗保退款计息利率（银行存款年利率）", "Interest rate on fraud repayments (bank deposit rate, yearly)";
    InterestHelp => "如 0.0035 表示年利率0.35%，按实际天数除以360计息（第二十九条）。", "0.0035 is 0.35 % a year; interest counts actual days over 360 (M29).";
    Save => "保存", "Save";
    FraudAfterPayment => "支付后查实骗保", "Fraud found after payment";
    FraudOn => "骗保日期", "Day of the fraud";
    ConfirmedOn => "查实日期", "Day it was confirmed";
    RefundedOn => "退还日期（未退还则不填）", "Day refunded (empty if not refunded)";
    SuspensionMonths => "停止待遇月数（3—6，已退还时）", "Months of suspension (3–6, when refunded)";
    RecordFraud => "记录并停止待遇", "Record and suspend";
    Suspensions => "停止待遇记录", "Suspensions";
    UntilRepaid => "至退还之日", "until repaid";
    Interest => "利息", "interest";
    RepaidOn => "退还日期", "Day repaid";
    RecordRepayment => "记录退还", "Record the repayment";
    Back => "返回", "Back";
    RunsHelp => "特殊病门诊费用每月5—6日支付，转院、急诊住院和门诊抢救费用每月7—10日支付，遇节假日顺延（第十九条）。支付批次由一人编制、另一人确认发放。", "Special-disease claims are paid on the 5th–6th of each month, the others on the 7th–10th, moved past days off (B19). One person prepares a run, another releases it.";
    WaitingClaims => "待支付的报销", "Approved claims waiting";
    NothingWaiting => "没有待支付的报销。", "Nothing is waiting.";
    NClaims => "{n}笔", "{n} claims";
    PrepareRun => "编制支付批次", "Prepare the run";
    Runs => "支付批次", "Payment runs";
    Run => "支付批次", "Payment run";
    Window => "支付期", "Window";
    Total => "合计金额", "Total";
    Released => "已发放", "Released";
    Prepared => "待确认发放", "Waiting for release";
    PreparedBy => "编制人", "Prepared by";
    ReleasedBy => "发放确认人", "Released by";
    AgainstLast => "与上月批次比较", "Against last month's run";
    NoEarlierRun => "没有上月批次可比较。", "No earlier run to compare with.";
    SecondPersonReleases => "您编制了本批次：须由另一人确认发放。", "You prepared this run: another person must release it.";
    ReleaseRun => "确认发放", "Release the run";
    BankFile => "下载银行代发文件（CSV）", "Download the bank transfer file (CSV)";
}
}

/// The name of a claim code (kind, status, disease, cause, document,
/// relation, reason, run kind, outcome) in the page's language.
#[cfg(feature = "ssr")]
pub fn claim_code_text(code: &str) -> String {
    let pair: (&str, &str) = match code {
        "transfer" => ("转院（转外地住院）", "Transfer"),
        "nondesignated_emergency" => (
            "非定点医疗机构急诊住院",
            "Emergency stay at a non-designated hospital",
        ),
        "outpatient_emergency" => ("门诊紧急抢救", "Outpatient emergency rescue"),
        "special_outpatient" => ("特殊病门诊", "Special-disease outpatient care"),
        "student_accident" => ("学生无责任意外伤害", "Pupil's no-fault accident"),
        "special_disease" => ("特殊病门诊治疗", "Special-disease treatment"),
        "special_item" => ("特殊检查治疗项目", "Special item"),
        "filed" => ("已提交，待初审", "Filed, waiting for the first review"),
        "first_review" => ("初审中", "In first review"),
        "second_review" => (
            "初审完成，待复审",
            "First review done, waiting for the second",
        ),
        "approved" => ("审核通过，待支付", "Approved, waiting for payment"),
        "refused" => ("不予支付", "Refused"),
        "paid" => ("已支付", "Paid"),
        "approval_status_requested" => ("待审批", "Waiting for an answer"),
        "approval_status_approved" => ("已同意", "Approved"),
        "approval_status_refused" => ("不同意", "Refused"),
        "organ_transplant" => (
            "器官移植术后抗排斥治疗",
            "Anti-rejection after organ transplant",
        ),
        "cancer_radio_chemo" => ("恶性肿瘤放化疗", "Cancer radio- or chemotherapy"),
        "uraemia_dialysis" => ("尿毒症透析治疗", "Uraemia dialysis"),
        "tuberculosis" => ("结核病", "Tuberculosis"),
        "psychosis" => ("精神病", "Psychosis"),
        "diabetes_insulin" => ("糖尿病胰岛素治疗", "Insulin-treated diabetes"),
        "fight" => ("打架斗殴", "Fight"),
        "crime" => ("违法犯罪", "Crime"),
        "drunkenness" => ("酗酒", "Drunkenness"),
        "self_harm" => ("自残", "Self-harm"),
        "suicide" => ("自杀", "Suicide"),
        "traffic_accident" => ("交通事故", "Traffic accident"),
        "medical_accident" => ("医疗事故", "Medical accident"),
        "receipt" => ("医疗费用收据", "Receipts"),
        "diagnosis" => ("诊断书", "Diagnosis"),
        "expense_list" => ("医疗费用清单", "Itemised expense list"),
        "medical_record" => ("病历复印件", "Copy of the medical record"),
        "prescription" => ("处方", "Prescriptions"),
        "relation_self" => ("本人", "Self"),
        "relation_spouse" => ("配偶", "Spouse"),
        "relation_parent" => ("父母", "Parent"),
        "relation_child" => ("子女", "Child"),
        "relation_relative" => ("其他亲属", "Other relative"),
        "relation_other" => ("其他", "Other"),
        "not_covered" => (
            "就医时处于中断缴费、未参保或停止待遇期间",
            "On the day of care the resident was interrupted, not enrolled or suspended",
        ),
        "excluded_cause" => (
            "因除外原因发生的费用不予支付",
            "Care from an excluded cause is not paid",
        ),
        "transfer_not_approved" => ("未经批准转外地住院", "The transfer was not approved"),
        "emergency_not_filed" => (
            "急诊抢救未在3日内备案",
            "The emergency was not reported within 3 days",
        ),
        "not_special_disease" => ("不属于特殊病门诊病种", "Not a special outpatient disease"),
        "documents_false" => (
            "报销材料弄虚作假，拒付全部费用并停止待遇",
            "False documents: the whole claim is refused and benefits suspended",
        ),
        "cap_reached" => ("本年度支付限额已用完", "The annual cap is used up"),
        "below_deductible" => (
            "目录内费用未超过起付标准",
            "The in-catalogue amount does not exceed the deductible",
        ),
        "found_at_review" => ("审核时查实弄虚作假", "False documents found at review"),
        "refunded" => ("支付后查实，已退还", "Found after payment, refunded"),
        "not_refunded" => ("支付后查实，未退还", "Found after payment, not refunded"),
        "run_special_outpatient" => ("特殊病门诊（每月5—6日）", "Special diseases (5th–6th)"),
        "run_others" => (
            "转院、急诊和意外伤害（每月7—10日）",
            "Transfers, emergencies, accidents (7th–10th)",
        ),
        "claim_filed" => (
            "报销申请已提交。请上传材料。",
            "The claim is filed. Now upload its documents.",
        ),
        "reported" => ("急诊已备案。", "The emergency is reported."),
        "approval_requested" => (
            "审批申请已提交，等待医保经办机构答复。",
            "Asked: waiting for the agency's answer.",
        ),
        "uploaded" => ("材料已上传。", "Documents uploaded."),
        "first_reviewed" => (
            "初审完成，已送复审。",
            "First review done: sent to the second review.",
        ),
        "decided" => ("复审完成。", "Second review done."),
        "returned" => ("已退回初审。", "Sent back to the first review."),
        "approval_decided" => ("已答复审批申请。", "The request is answered."),
        "run_prepared" => (
            "支付批次已编制，等待另一人确认发放。",
            "The run is prepared: another person releases it.",
        ),
        "run_released" => (
            "支付批次已发放，报销已标记为已支付。",
            "The run is released and its claims are marked paid.",
        ),
        "saved" => ("已保存。", "Saved."),
        "fraud_recorded" => ("已记录并停止待遇。", "Recorded; benefits are suspended."),
        "repaid" => (
            "已记录退还及利息，待遇恢复。",
            "Repayment and interest recorded; benefits resume.",
        ),
        _ => return code.to_string(),
    };
    use_lang().pick(pair.0, pair.1).to_string()
}

/// A refusal of a claim page's post, in the page's language.
#[cfg(feature = "ssr")]
pub fn claim_error(code: &str) -> String {
    let pair: (&str, &str) = match code {
        "emergency_report_late" => ("已超过3日备案期限，不予备案：逾期未备案的急诊费用不予支付（第二十一、二十二条）。", "More than 3 days have passed: the report is refused, and an emergency not reported in time is not paid (M21, M22)."),
        "care_in_future" => ("日期不能晚于今天。", "The date cannot be later than today."),
        "care_dates" => ("截止日期不能早于起始日期。", "The last day cannot be before the first."),
        "hospital" => ("请填写医疗机构名称（不超过100字）。", "Enter the hospital's name (at most 100 characters)."),
        "kind" => ("类别不正确。", "Not a kind of claim."),
        "approval_late" => ("急诊先行治疗的，须在3日内申请审批，已超过期限（第十四、十九条）。", "Done first in an emergency, the approval must be asked within 3 days: that has passed (M14, M19)."),
        "approval_after_care" => ("事先审批须在就医之前申请；急诊已先行治疗的请勾选“急诊已先行治疗”。", "A prior approval is asked before the care; if it was done first in an emergency, tick that box."),
        "below_special_item_threshold" => ("单项金额超过1000元的特殊检查治疗才需审批。", "Only special items over 1,000 yuan need approval."),
        "disease" => ("请选择特殊病病种。", "Choose the special disease."),
        "amount" | "billed" => ("请填写金额，如 1234.50。", "Enter an amount, such as 1234.50."),
        "already_decided" => ("该申请已答复。", "This request is already answered."),
        "agent_name" => ("请填写经办人姓名。", "Enter the name of who files."),
        "agent_id_number" => ("经办人身份证号码不正确。", "The identity number of who files is not valid."),
        "agent_relation" => ("请选择经办人与参保人的关系。", "Choose how who files is related to the insured."),
        "bank_account" => ("银行账号应为10至30位数字。", "The bank account is 10 to 30 digits."),
        "account_name" => ("请填写账户名。", "Enter the account holder's name."),
        "special_claim_one_month" => ("特殊病门诊费用按月申请：起止日期须在同一个月。", "Special-disease care is claimed per month: both days must be in the same month."),
        "not_a_pupil" => ("学生意外伤害只适用于在校学生。", "A pupil's accident claim is for pupils only."),
        "special_disease_not_approved" => ("该病种的特殊病门诊治疗尚未经医保经办机构事先审批（第二十三条）。请先申请审批。", "This disease's outpatient treatment was not approved by the agency beforehand (M23). Ask for approval first."),
        "document_kind" => ("请选择材料类别。", "Choose the kind of document."),
        "claim_under_review" => ("申请已进入审核，不能再添加材料。", "The claim is under review: documents can no longer be added."),
        "in_catalogue" => ("目录内合理费用不能超过医疗费用总额。", "The in-catalogue amount cannot exceed the total billed."),
        "documents_missing" => ("材料不齐全，不能完成初审。", "Documents are missing: the first review cannot be completed."),
        "claim_state_changed" => ("该申请的状态已变化，请刷新页面。", "The claim's state has changed: reload the page."),
        "same_reviewer" => ("同一人不能既初审又复审：复审须由另一位审核人员完成。", "The same person cannot do both reviews: another reviewer must do the second."),
        "claim_not_paid" => ("该报销尚未支付。", "This claim is not paid."),
        "interest_rate" => ("利率应在0到1之间，如 0.0035。", "The rate is between 0 and 1, such as 0.0035."),
        "interest_rate_unset" => ("管理员尚未设置计息利率。", "The administrator has not set the interest rate."),
        "already_repaid" => ("已记录退还。", "The repayment is already recorded."),
        "run_window" => ("该日期不是支付期的第一天。", "That day does not start a payment window."),
        "run_released" => ("该支付批次已发放，不能再修改。", "This run is released and final."),
        "same_person" => ("编制支付批次的人不能确认发放：须由另一人确认。", "Who prepared a run cannot release it: another person must."),
        "run_empty" => ("该批次没有报销。", "The run holds no claims."),
        "run_not_released" => ("批次发放后才能下载银行文件。", "The bank file is available once the run is released."),
        "date" => ("日期不正确。", "The date is not valid."),
        "months" => ("停止待遇月数应为3至6。", "The suspension is 3 to 6 months."),
        "not_an_overpayment" => ("这笔款项是保费，不是多缴费用。", "This payment is a premium, not an overpayment."),
        _ => return crate::error::AppError::bad_input(code.to_string()).message(use_lang()),
    };
    use_lang().pick(pair.0, pair.1).to_string()
}

/// The name of a RULES-API code (category, tier, registrar, evidence, refusal,
/// no-pay reason, sex) in the page's language; the code itself if unknown.
pub fn code_text(code: &str) -> String {
    let msg = match code {
        "student" => Msg::CatStudent,
        "child" => Msg::CatChild,
        "migrant_child" => Msg::CatMigrantChild,
        "elderly" => Msg::CatElderly,
        "disabled_adult" => Msg::CatDisabledAdult,
        "adult_standard" => Msg::TierAdultStandard,
        "adult_assisted" => Msg::TierAdultAssisted,
        "minor_standard" => Msg::TierMinorStandard,
        "minor_assisted" => Msg::TierMinorAssisted,
        "school" => Msg::RegSchool,
        "community_office" => Msg::RegOffice,
        "dibao_certificate" => Msg::EvDibao,
        "disability_certificate" => Msg::EvDisability,
        "low_income_proof" => Msg::EvLowIncome,
        "temporary_residence_permit" => Msg::EvTempResidence,
        "id_card" => Msg::EvIdCard,
        "household_register" => Msg::EvHouseholdRegister,
        "photo" => Msg::EvPhoto,
        "ncms_enrolled" => Msg::RefNcms,
        "employee_insured" => Msg::RefEmployee,
        "hukou_moved_in_too_recently" => Msg::RefHukou,
        "working_age_not_covered" => Msg::RefWorkingAge,
        "not_covered" => Msg::NpNotCovered,
        "excluded_cause" => Msg::NpExcluded,
        "transfer_not_approved" => Msg::NpTransfer,
        "emergency_not_filed" => Msg::NpNotFiled,
        "not_special_disease" => Msg::NpNotSpecial,
        "male" => Msg::SexMale,
        "female" => Msg::SexFemale,
        _ => return code.to_string(),
    };
    t(msg).to_string()
}

/// Replaces `{n}` in a message with a number.
pub fn with_n(text: &str, n: impl std::fmt::Display) -> String {
    text.replace("{n}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both_languages<M: Text + std::fmt::Debug>(all: &[M]) {
        for m in all {
            let zh = m.text(Lang::Zh);
            let en = m.text(Lang::En);
            assert!(!zh.is_empty() && !en.is_empty(), "{m:?}");
            assert_ne!(zh, en, "{m:?} is not translated");
        }
    }

    #[test]
    fn every_message_has_both_languages_and_they_differ() {
        both_languages(Msg::ALL);
        #[cfg(feature = "ssr")]
        both_languages(PaperMsg::ALL);
        #[cfg(feature = "ssr")]
        both_languages(ClaimMsg::ALL);
        #[cfg(feature = "ssr")]
        both_languages(StatsMsg::ALL);
    }

    #[test]
    fn cookie_header_picks_language_and_defaults_to_chinese() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=zh"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header("other=en"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
    }
}
