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
pub fn t(msg: Msg) -> &'static str {
    msg.text(use_lang())
}

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// Every fixed text of the portal, with its Chinese and English.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key,)* }
        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Zh) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
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
    ErrPolicyParams => "参数文件无法读取或校验未通过，未作任何修改。", "The parameters could not be read or did not check: nothing was changed.";
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
    ErrNotOurPupil => "本校花名册中没有此身份证号码的学生。", "No pupil with that identity number is on this school's roster.";
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

    #[test]
    fn every_message_has_both_languages_and_they_differ() {
        for m in Msg::ALL {
            let zh = m.text(Lang::Zh);
            let en = m.text(Lang::En);
            assert!(!zh.is_empty() && !en.is_empty(), "{m:?}");
            assert_ne!(zh, en, "{m:?} is not translated");
        }
    }

    #[test]
    fn cookie_header_picks_language_and_defaults_to_chinese() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=zh"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header("other=en"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
    }
}
