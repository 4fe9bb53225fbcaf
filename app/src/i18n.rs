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
            .and_then(|p| p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Lang::from_cookie_header))
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
