//! Every word a user sees goes through here. The texts live in one Fluent
//! file per language, `app/locales/<tag>.ftl`; Simplified Chinese is the
//! default. The choice is a cookie read the same way on the server and in the
//! browser.
//!
//! The server parses every file once (`catalogue`). The browser carries no
//! catalogue: the server writes the page language's texts of the hydrated
//! pages (`Msg` and the RULES-API codes) into the page as JSON, which the
//! WebAssembly reads before it hydrates (`browser`), so both sides show the
//! same bytes.
//!
//! The keys stay typed: each enum below lists the messages of a part of the
//! portal, and a message's Fluent id is its prefix and the variant's name in
//! kebab-case (`Msg::LoginTitle` is `login-title`, `ClaimMsg::Kind` is
//! `claims-kind`). Tables keyed by a code read `code-<code>` (one name per
//! code for every page) and `claim-error-<code>`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(not(feature = "ssr"))]
mod browser;
#[cfg(feature = "ssr")]
mod catalogue;
#[cfg(all(test, feature = "ssr"))]
mod tests;

#[cfg(feature = "ssr")]
pub use catalogue::browser_json;

/// In the browser, reads the texts the server put in the page, before
/// hydrating; nothing on the server.
pub fn load() {
    #[cfg(not(feature = "ssr"))]
    browser::load();
}

/// The languages of the portal, in the order of the language switch: the
/// variant, the cookie's code, the language tag (which names its file
/// `app/locales/<tag>.ftl`) and the language's name in itself. The first is
/// the default. Adding a language is adding its file and a line here.
macro_rules! languages {
    ($($variant:ident => $code:literal, $tag:literal, $name:literal;)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
        pub enum Lang {
            #[default]
            $($variant,)+
        }

        impl Lang {
            pub const ALL: &'static [Lang] = &[$(Lang::$variant,)+];
            /// The value of the language cookie.
            pub fn code(self) -> &'static str {
                match self { $(Lang::$variant => $code,)+ }
            }
            /// The language tag, for `<html lang>` and the file name.
            pub fn html_lang(self) -> &'static str {
                match self { $(Lang::$variant => $tag,)+ }
            }
            /// The language's name in itself, for the language switch.
            pub fn name(self) -> &'static str {
                match self { $(Lang::$variant => $name,)+ }
            }
            /// The Fluent file of the language.
            #[cfg(feature = "ssr")]
            fn source(self) -> &'static str {
                match self { $(Lang::$variant => include_str!(concat!("../locales/", $tag, ".ftl")),)+ }
            }
        }
    };
}

languages! {
    Zh => "zh", "zh-CN", "中文";
    En => "en", "en", "English";
}

impl Lang {
    pub fn from_code(code: &str) -> Lang {
        let code = code.trim();
        Lang::ALL
            .iter()
            .copied()
            .find(|l| l.code().eq_ignore_ascii_case(code))
            .unwrap_or_default()
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
    /// Picks the text of this language from a pair of names kept in data
    /// (an organisation's Chinese and English name): English for English,
    /// Chinese for every other language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            _ => zh,
        }
    }
}

pub const LANG_COOKIE: &str = "lang";
/// 长辈模式 (large text), remembered like the language: `elder=1`.
pub const ELDER_COOKIE: &str = "elder";

/// The request's `Cookie:` header on the server, `document.cookie` in the browser.
fn cookie_header() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|p| {
            p.headers
                .get(http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

/// Whether 长辈模式 is on: larger text, the home reduced to three things.
pub fn elder_mode() -> bool {
    cookie_header().is_some_and(|h| elder_in_cookie_header(&h))
}

pub fn elder_in_cookie_header(header: &str) -> bool {
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .any(|(k, v)| k == ELDER_COOKIE && v == "1")
}

/// An amount as the portal prints it, in the page's language: `130.00 元`.
pub fn yuan_text(amount: &str) -> String {
    amount_with_unit(amount, t(Msg::Yuan))
}

/// An amount with its unit after a space, two decimals: `130.00 元`.
pub fn amount_with_unit(amount: &str, unit: &str) -> String {
    let a = amount.trim();
    let a = match a.split_once('.') {
        Some((int, frac)) if frac.len() < 2 => format!("{int}.{frac:0<2}"),
        Some(_) => a.to_string(),
        None if a.chars().all(|c| c.is_ascii_digit() || c == '-') && !a.is_empty() => {
            format!("{a}.00")
        }
        None => a.to_string(),
    };
    format!("{a} {unit}")
}

/// Chinese text with full-width punctuation (the policy engine's
/// explanations were written with ASCII commas and colons): a comma,
/// semicolon, question or exclamation mark becomes full-width, as does a
/// colon except between digits (a time) and a comma of thousands (1,000);
/// brackets next to Chinese text become full-width, both of the pair.
pub fn full_width(text: &str) -> String {
    fn cjk(c: Option<char>) -> bool {
        c.is_some_and(|c| {
            ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
        })
    }
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let mut out = String::with_capacity(text.len());
    // Opening brackets made full-width and not closed yet.
    let mut open: Vec<bool> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(at);
        let after = at(i + 1);
        // 1,000: three digits after, then no digit.
        let thousands = digit(before) && (1..=3).all(|k| digit(at(i + k))) && !digit(at(i + 4));
        out.push(match c {
            ',' if !thousands => '，',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            ':' if !(digit(before) && digit(after)) => '：',
            '(' => {
                let wide = cjk(before) || cjk(after);
                open.push(wide);
                if wide {
                    '（'
                } else {
                    c
                }
            }
            ')' if open.pop().unwrap_or(cjk(before)) => '）',
            _ => c,
        });
    }
    out
}

#[cfg(test)]
mod typography_tests {
    use super::*;

    #[test]
    fn amounts_carry_two_decimals_and_their_unit() {
        assert_eq!(amount_with_unit("130.00", "元"), "130.00 元");
        assert_eq!(amount_with_unit("130", "元"), "130.00 元");
        assert_eq!(amount_with_unit("130.5", "yuan"), "130.50 yuan");
        assert_eq!(amount_with_unit(" 0.05 ", "元"), "0.05 元");
    }

    #[test]
    fn chinese_text_gets_full_width_punctuation() {
        assert_eq!(
            full_width("2027年度医疗保险费已于2026-12-01缴纳,自缴费当日起享受待遇。"),
            "2027年度医疗保险费已于2026-12-01缴纳，自缴费当日起享受待遇。"
        );
        assert_eq!(full_width("一级(含乡镇卫生院)"), "一级（含乡镇卫生院）");
        assert_eq!(
            full_width("缴费期限为2026-11-30,2027-05-01前缴纳"),
            "缴费期限为2026-11-30，2027-05-01前缴纳"
        );
        assert_eq!(full_width("共1,000元(B3)"), "共1,000元（B3）");
        assert_eq!(full_width("时间:10:30"), "时间：10:30");
    }

    #[test]
    fn the_elder_mode_is_read_from_its_cookie() {
        assert!(elder_in_cookie_header("lang=zh-CN; elder=1"));
        assert!(!elder_in_cookie_header("lang=zh-CN; elder=0"));
        assert!(!elder_in_cookie_header("lang=zh-CN"));
    }
}

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

/// The text of `msg` in the page's language. A message with variables comes
/// with its `{ $name }` placeables as they are, for `with_n` or `fill`.
pub fn t(msg: impl Text) -> &'static str {
    msg.text(use_lang())
}

/// The text of `msg` in the page's language with its variables filled:
/// `t_args(Msg::CardsPending, &[("card_list_working_days", d.list_days.to_string())])`.
/// On the server Fluent formats it; in the browser `fill` does, to the same
/// bytes (the hydrated texts hold only text and `{ $name }`).
pub fn t_args(msg: impl Text, args: &[(&str, String)]) -> String {
    #[cfg(feature = "ssr")]
    {
        catalogue::format(use_lang(), msg.id(), args).unwrap_or_else(|| fill(t(msg), args))
    }
    #[cfg(not(feature = "ssr"))]
    {
        fill(t(msg), args)
    }
}

/// The text of `msg` with the numbers of this policy year it quotes (see
/// `year_args`). Server-rendered pages only: the browser has no parameters.
#[cfg(feature = "ssr")]
pub fn t_year(msg: impl Text) -> String {
    t_args(msg, &year_args())
}

/// The numbers of this policy year (the newest if this year has none) that
/// texts may quote, each as `{ $<parameter's name> }`
/// (`{ $emergency_filing_days }`), so a text says what the parameters say.
#[cfg(feature = "ssr")]
pub fn year_args() -> Vec<(&'static str, String)> {
    let Ok(st) = crate::ssr::state() else {
        return Vec::new();
    };
    let rules = st.rules();
    let year = chrono::Datelike::year(&db::claims::today());
    rules
        .year(year)
        .ok()
        .or_else(|| rules.latest())
        .map(year_values)
        .unwrap_or_default()
}

/// Message `id`, with this policy year's numbers if it quotes any.
#[cfg(feature = "ssr")]
fn with_year(lang: Lang, id: &str) -> Option<String> {
    let text = catalogue::text(lang, id)?;
    if text.contains("{ $") {
        catalogue::format(lang, id, &year_args())
    } else {
        Some(text.to_string())
    }
}

/// The numbers of a policy year's parameters that texts quote, by name.
#[cfg(feature = "ssr")]
fn year_values(p: &policy::params::YearParams) -> Vec<(&'static str, String)> {
    let d = &p.deadlines;
    let (special, others) = (p.payment_runs.special_outpatient, p.payment_runs.others);
    // Whole yuan without their ".00": "1000".
    let threshold = d.special_item_threshold.to_string();
    let threshold = threshold
        .strip_suffix(".00")
        .unwrap_or(&threshold)
        .to_string();
    vec![
        (
            "declare_premiums_working_days",
            d.declare_premiums_working_days.to_string(),
        ),
        (
            "card_list_working_days",
            d.card_list_working_days.to_string(),
        ),
        (
            "card_making_working_days",
            d.card_making_working_days.to_string(),
        ),
        ("emergency_filing_days", d.emergency_filing_days.to_string()),
        (
            "transfer_approval_days",
            d.transfer_approval_days.to_string(),
        ),
        (
            "special_item_approval_days",
            d.special_item_approval_days.to_string(),
        ),
        ("special_item_threshold", threshold),
        (
            "review_suspension_months",
            p.fraud.review_suspension_months.to_string(),
        ),
        (
            "refunded_suspension_min_months",
            p.fraud.refunded_suspension_min_months.to_string(),
        ),
        (
            "refunded_suspension_max_months",
            p.fraud.refunded_suspension_max_months.to_string(),
        ),
        (
            "special_outpatient_first_day",
            special.first_day.to_string(),
        ),
        ("special_outpatient_last_day", special.last_day.to_string()),
        ("others_first_day", others.first_day.to_string()),
        ("others_last_day", others.last_day.to_string()),
    ]
}

/// Fills the `{ $name }` placeables of a text. The browser's only formatter:
/// the hydrated messages hold nothing but text and such placeables (a test
/// checks), so this gives the same bytes as Fluent on the server.
pub fn fill(text: &str, args: &[(&str, String)]) -> String {
    args.iter().fold(text.to_string(), |text, (name, value)| {
        text.replace(&format!("{{ ${name} }}"), value)
    })
}

/// Fills the `{ $n }` of a message with a number.
pub fn with_n(text: &str, n: impl std::fmt::Display) -> String {
    fill(text, &[("n", n.to_string())])
}

/// A key of the catalogue.
pub trait Text: Copy {
    fn text(self, lang: Lang) -> &'static str;
    /// The Fluent id.
    #[cfg(feature = "ssr")]
    fn id(self) -> &'static str;
}

/// An enum of keys: the variants are the messages, `$prefix` and the
/// variant's name in kebab-case the Fluent id.
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident, $prefix:literal { $($key:ident,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key,)* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key,)*];
            #[cfg(feature = "ssr")]
            const NAMES: &'static [&'static str] = &[$(stringify!($key),)*];
            pub fn text(self, lang: Lang) -> &'static str {
                #[cfg(feature = "ssr")]
                {
                    catalogue::text(lang, self.id()).unwrap_or(self.id())
                }
                #[cfg(not(feature = "ssr"))]
                {
                    let _ = lang;
                    browser::msg(self as usize)
                }
            }
            #[cfg(feature = "ssr")]
            pub fn id(self) -> &'static str {
                static IDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
                    $name::NAMES.iter().map(|n| fluent_id($prefix, n)).collect()
                });
                IDS.get(self as usize).map_or("", String::as_str)
            }
        }
        impl Text for $name {
            fn text(self, lang: Lang) -> &'static str {
                $name::text(self, lang)
            }
            #[cfg(feature = "ssr")]
            fn id(self) -> &'static str {
                $name::id(self)
            }
        }
    };
}

/// `prefix` and `name` in kebab-case: `fluent_id("claims-", "GradeN")` is
/// `claims-grade-n`.
#[cfg(feature = "ssr")]
fn fluent_id(prefix: &str, name: &str) -> String {
    let mut id = prefix.to_string();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            id.push('-');
        }
        id.push(c.to_ascii_lowercase());
    }
    id
}

keys! {
    /// Every fixed text of the hydrated pages.
    Msg, "" {
    AppTitle, AppShort, Login, Logout, Username, Password, LoginTitle, LoginLocked, TooManyAttempts,
    ChangePasswordNav, LanguageLabel, Home, Welcome, NotFoundTitle, NotFoundBody, BackHome,
    ErrorTitle, ErrorBody, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrCrossSite,
    ErrInternal, ErrInvalid,
    RoleResident, RoleOfficeAgent, RoleSchoolAgent, RoleAgencyReviewer, RoleAgencyAdmin,
    YourRole, Organisation, MyHousehold, HouseholdNumber, Address, Members, IdNumber, Name,
    NoRecords, OfficeHouseholds, SchoolPupils, ReviewQueue, ReviewQueueEmpty, ReviewQueueCount,
    Accounts, AuditTrail, AuditChainOk, AuditChainBroken, AuditWhen, AuditWho, AuditWhat,
    AuditRecord, CreateAccount, DisplayName, Role, OrgCode, HouseholdId, Create, AccountCreated,
    Active, Inactive, WorkList, SkipToContent, PublicIntro, LoggedInAs, Loading, CheckTitle,
    CheckNav, QuoteTitle, EstimateTitle, PolicyYear, Circumstances, FactInSchool,
    FactEmployeeInsured, FactFlexible, FactNcms, FactMigrantChild, FactDibao, FactLowIncome,
    FactDisability, FactHukouMoved, FactMinorBlood, NoneOption, GetQuote, ClaimKind,
    HospitalGrade, Grade3, Grade2, Grade1, InCatalogue, AdmissionOrdinal, ContinuousYears,
    SpecialDisease, PaidThisYear, Estimate, WhyThisAnswer,
    BirthDate, AgeForYear, PersonalShare, TotalContribution, SubsidyCentral, SubsidyRegion,
    SubsidyLeague, SubsidyCounty, RegisteredBy, EvidenceNeeded, Yuan, FundPays, Deductible,
    Ratio, NotPaidBecause, ErrAmount, RefNcms, RefEmployee, RefHukou, RefWorkingAge, PolicyParams,
    PolicyParamsIntro, Version, PublishedAt, InForce, Shipped, PublishYear, PublishHelp,
    ParamsText, Publish, Published, EnrolTitle, Enrolment, RegisterPerson, Household, Register,
    Enrolments, Tier, Status, StatusDraft, StatusSubmitted, StatusApproved, StatusRejected,
    RejectedBecause, EvidenceAccepted, AcceptEvidence, SubmitForReview, WhyThisTier, Approve,
    Reject, RejectReason, ErrWrongStatus, PreRegNav, PreRegWaiting, OpenItem, RegFormNav, OfficeListNav, // Contributions: notices, payments, receipts, declarations, status.
    NoticeTitle, NoticeNumber, AmountDue, Amount, DueDate, NoticeStatus, Paid, Unpaid,
    PayOnline, TakeCash, PrintPage, ScanToVerify, ReceiptTitle, ReceiptNumber, PaidAt, Channel,
    ChOfficeCash, ChSchoolCash, ChOnline, BackPaymentMark, OverpaymentMark, CoveredSince,
    CollectedBy, SimTitle, SimWarning, SimConfirm, OrderNumber, WaitingForProvider, VerifyTitle,
    VerifyGenuine, PaymentsDesk, NoticesOfOrg, UndeclaredPremiums, DeclareBy, OverdueMark,
    DeclareNow, Declarations, DeclarationTitle, DeclarationNumber, TotalAmount, PaymentCount,
    DeclaredBy, DeclaredAt, OverdueDeclarations, OverdueCount, UndeclaredCount,
    ContributionStatus, StActive, StGrace, StInterrupted, StNotEnrolled, DueWarning, DaysLeft,
    PastDue, SignatureLine, Sweeps, SweepInterrupted, CardsTitle, CardsPending, CardListBy,
    SendCardList, CardsToTake, TakeCardFee, CardLists, CardsMade, CardsMakeBy, MarkCardsMade,
    CardsDue, CardsLate, CardListsLate, // School roster import.
    RosterTitle, RosterUpload, RosterIntro, RosterTemplate, RosterFile, RosterDryRun,
    RosterImport, RosterDryRunReport, RosterImportReport, RosterRows, RosterWouldImport,
    RosterImported, RosterAlready, RosterBad, RosterImportChecked, RosterDownloadBad,
    RosterBadRows, RosterRow, RosterReason, RosterLeaveTitle, RosterLeaveIntro,
    RosterLeaveReason, RosterGraduated, RosterLeft, RosterMarkLeft, RosterMarkedLeft,
    ClaimsNav, ClaimReviewNav, PaymentRunsNav, RefundsNav, StatisticsNav, ReportsNav, ClaimsAtFirst,
    ClaimsAtSecond, ApprovalsWaiting, ClaimsToPay, FindPerson, FindPersonGo, FindPersonHelp, DeclareSummary,
    PaidForYear, NextDue, NothingToPay, ElderMode, StandardMode, ElderModeHelp, Menu, QrWhatFor,
    VerifyNotFoundHelp, VerifyOfficeHint,
    SignupPhoneNav, ForgotPasswordNav, NewHouseholdNav, NewHouseholdsNav, OutboxNav,
    // Households at the desk, sign-up, paged lists (#16).
    SignupLink, OpenHouseholdNav, SearchHouseholds, SearchHouseholdsHelp, SearchGo, PagePrev,
    PageNext, PageN, DuplicatesNav, PickHousehold, NoHouseholdFound, FindNotice, FindNoticeHelp, }
}

#[cfg(feature = "ssr")]
keys! {
    /// The texts of the pages rendered on the server only (pre-registration,
    /// printed papers): kept out of what the browser gets, which never shows them.
    PaperMsg, "paper-" {
    PreRegTitle, PreRegIntro, PreRegAdd, PreRegSend, PreRegSaved, PreRegNone, PhotoIdCard,
    PhotoHouseholdRegister, PhotoCertificate, CertificateKind, PhotoHelp, PreRegPending,
    PreRegCompleted, WhereToRegister, WhatToBring, DocumentsUploaded, CorrectFacts,
    SaveCorrection, Corrected, CompletePreReg, PreRegDone, RegFormTitle, PrintNow,
    ScanForRecord, Sex, Seq, TotalRow, PersonsCount, OfficeListTitle, SignAgent, SignHead,
    SignAgency, SignResident, DateLine, Show, RefundsTitle, RefundsHelp, NothingToRefund,
    MarkRefunded, Refunded,
    }
}

#[cfg(feature = "ssr")]
keys! {
    /// The texts of the statistical reports page (server-rendered only).
    ReportMsg, "report-" {
    Title, Help, Period, Show, Draft, Redraft, Version, Drafted, Submitted, Figure, Previous,
    Current, Change, Explanation, Explain, SaveExplanation, Signatures, Sign, Preparer,
    SectionHead, AgencyHead, NotSigned, Correct, CorrectionReason, Corrects, Counties, County,
    Status, NoReport, Older, Done, FigEnrolmentsApproved, FigPremiums, FigPremiumsFen,
    FigPremiumsOnlineFen, FigBackPayments, FigClaimsFiled, FigClaimsApproved, FigClaimsRefused,
    FigPayoutFen, FigPaidOutFen, PublicTitle, NothingPublished, EnrolledByTierTitle, TierColumn,
    Total, SuppressedNote, PublishTitle, PublishHelp, Propose, Approve, Pending, PublicLink,
    FigEnrolled, FigUnpaid, FigInterrupted, FigPremiumsCashFen, FigBackPaymentsFen, FigFundIncomeFen, FigFundSpendingFen, FigFundIncomeYtdFen, FigFundSpendingYtdFen, FigFundBalanceYtdFen, FigSubsidyPersons, FigSubsidyCentralFen, FigSubsidyRegionFen, FigSubsidyLeagueFen, FigSubsidyCountyFen, FigSubsidyFen, SecPersons, SecPremiums, SecClaims, SecFund, SecSubsidy, LeagueReport, LeagueHelp, Sources, NotIncluded, ScheduleTitle, ScheduleHelp, Frequency, DueDays, SaveSchedule, NotAsked, FreqWeekly, FreqMonthly, FreqQuarterly, FreqHalfYearly, FreqYearly, DueTitle, DueOn, OnTime, Late, Missing, NotDue, DaysLate, NoSchedule, WeeklyTitle, WeeklyHelp, Month, Person, LateCount, MissingCount, CorrectedCount, Flagged, Unassigned, NoFaults, ChargeTitle, ChargeHelp, Charge, AccessTitle, AccessHelp, Section, RoleReviewer, RoleAdmin, SaveAccess, Hidden, DownloadCsv, DownloadXlsx, ReadsTitle, ReadView, ReadCsv, ReadXlsx, ReadRelease, ReleaseTitle, ReleaseHelp, Recipient, Purpose, RequestRelease, AwaitingApproval, ApprovedRelease, ApproveRelease, ReleaseFile, AnalysisTitle, AnalysisHelp, AnalysisLink, ChartPersons, ChartFund, Income, Spending, Quarter, FromReport, FromLedger, NoticeTitle, NoticeHelp, NoticePropose, NoticeApprove, NoticePending, NoticeLink, NoticeOffice, NoticeName, NoticeId, NoticeNothing, NoticePersons, NoticeObjection,
    }
}

#[cfg(feature = "ssr")]
keys! {
    /// Why a member is in their category and tier and pays what they pay, in
    /// plain words for the resident's home (server-rendered only); the
    /// articles follow in small print.
    WhyMsg, "why-" {
    Summary, Student, Child, MigrantChild, Elderly, DisabledAdult, AdultStandard, AdultAssisted,
    MinorStandard, MinorAssisted, Amount, Articles,
    }
}

#[cfg(feature = "ssr")]
keys! {
    /// The texts of finding a person and the enquiry page (server-rendered only).
    PeopleMsg, "people-" {
    Title, NoneFound, EnquiryTitle, OnDate, Show, StatusOn, Payments, Suspensions, Notices,
    PaidBy, PaidCash, PaidOnline, PaidOnlineAs, ClaimsOfYear, ClaimsHelp, NoClaims, CapName,
    CapAmount, CapUsed, CapLeft, CapGeneral, CapSubLimit, CapStudentAccident, ClaimNumber, Care,
    ClaimStatus, Payout, FiledByAgent,
    }
}

#[cfg(feature = "ssr")]
keys! {
    /// The texts of the account pages: one's own password, and an
    /// administrator's page of an account (server-rendered only).
    AccountMsg, "account-" {
    PasswordTitle, PasswordHelp, MustChange, CurrentPassword, NewPassword, RepeatPassword,
    ChangePassword, PasswordChanged, Title, Status, Enabled, Disabled, MustChangeMark,
    ResetTitle, ResetHelp, TemporaryPassword, Reset, ResetDone, DisableHelp, Disable, Enable,
    DisabledDone, EnabledDone, SessionsHelp, EndSessions, SessionsEnded, Back,
    }
}

#[cfg(feature = "ssr")]
keys! {
    /// The texts of opening a household at the desk, the family's sign-up
    /// and the duplicates list (server-rendered only).
    HouseMsg, "house-" {
    NewTitle, NewHelp, HukouType, HukouLocalUrban, HukouLocalAgricultural, HukouNonLocal, Head,
    Member, Relation, RelHead, RelSpouse, RelChild, RelParent, RelGrandchild, RelGrandparent,
    RelSibling, RelOther, Phone, Open, SignupTitle, SignupHelp, Code, MemberIdNumber,
    RepeatPassword, SignupGo, NoCode, DupTitle, DupHelp, DupKind, DupWho, DupDetail,
    DupSameNameBirth, DupSharedPhone, DupOtherSchool, CodeTitle, CodeUntil, CodeHowTo, CodeOnce,
    CodeScan, CodeHidden, CodeReissue, CodeNone,
    }
}

#[cfg(feature = "ssr")]
keys! {
    /// The texts of the agency's statistics (server-rendered only).
    StatsMsg, "stats-" {
    Help, Year, Show, DownloadCsv, Enrolment, County, Total, Enrolled, AwaitingReview,
    PersonalShare, Subsidies, Paid, PaidAmount, PaidOnline, BackPayments, Unpaid, ByTier,
    Category, Tier, Persons, Claims, ClaimCount, Filed, InReview, Approved, Refused, PaidClaims,
    Billed, Payout, PaidOut, Refusals, Nothing, OwedTitle, OwedHelp, Period, OwedCsv, Central,
    Region, League, CountyLevel, OwedTotal,
    }
}

#[cfg(feature = "ssr")]
keys! {
    /// The texts of the claim pages (server-rendered only).
    ClaimMsg, "claims-" {
    MyClaims, NoClaims, FileClaim, Claim, Claims, Member, Kind, Disease, ReportEmergency,
    EmergencyHelp, OccurredOn, DaysLeftTemplate, ReportTooLate, Hospital, Note, SendReport,
    Reports, ReportedAfter, Approvals, ApprovalsHelp, ApprovalKind, CareOn, ItemAmount,
    DoneInEmergency, Reason, AskApproval, MonthFrom, MonthTo, CareFrom, CareTo, HospitalGrade,
    Grade1, Grade2, Grade3, GradeN, Billed, InCatalogue, FilingAgent, Relation, PayTo,
    BankAccount, AccountName, FileAndUpload, DocumentsNeeded, HelpSpecial, HelpTransfer,
    HelpEmergency, HelpAccident, Documents, StillMissing, PhotoHelp, DocumentKind, ChoosePhotos,
    Upload, Uploading, Uploaded, AlreadyThere, Retrying, UploadFailed, Estimate, EstimateHelp,
    AtMost, Decision, Payout, ReasonLabel, StepFiled, StepFirstReview, StepSecondReview,
    StepReturned, StepApproved, StepRefused, StepPaid, StepFraud, StepOther, ToCome, PaidInRun,
    WaitingForRun, FirstReviewer, SecondReviewer, FirstReview, SecondReview, FirstNote,
    DocumentsFalseProposed, Cause, EarlierAdmissions, MinorBlood, DocumentsFalse, SendToSecond,
    Confirm, SendBack, YouDidFirst, FiledAt, FirstPage, Next, Approve, Refuse, InterestRate,
    InterestHelp, Save, FraudAfterPayment, FraudOn, ConfirmedOn, RefundedOn, SuspensionMonths,
    RecordFraud, Suspensions, UntilRepaid, Interest, RepaidOn, RecordRepayment, Back, RunsHelp,
    WaitingClaims, NothingWaiting, NClaims, PrepareRun, Runs, Run, Window, Total, Released,
    Prepared, PreparedBy, ReleasedBy, AgainstLast, NoEarlierRun, SecondPersonReleases,
    ReleaseRun, BankFile, ReviewWaitsForYou, ReviewWaitsForDocuments, ChangeUntilReview,
    ChooseFilesAgain, Relabel, Remove, PhotosOfKind, OnePhoto, OtherDocument,
    }
}

#[cfg(feature = "ssr")]
keys! {
    /// The texts of signing up by phone, the reset by a code, a new
    /// household's pre-registration and the outbox (server-rendered only),
    /// and of the messages sent with a code.
    SignupMsg, "signup-" {
    Title, Intro, Phone, SendCode, CodeSent, Code, Confirm, StartOver, Unavailable, ForgotLink,
    SmsSignup, SmsReset, ResetTitle, ResetIntro, ResetWho, ResetSent, ResetDone, OutboxTitle,
    OutboxDemo, PurposeSignup, PurposeReset, StPending, StDelivered, StFailed, Attempts,
    NewHouseholdTitle, NewHouseholdIntro, YourApplication, Office, OfficeHelp, SaveApplication,
    Saved, Relation, RelHead, RelSpouse, RelChild, RelParent, RelGrandchild, RelOther, Waiting,
    Completed, CompletedLeft, HasHousehold, ApplicationsTitle, Applicant, Complete, CompleteHelp,
    }
}

/// The RULES-API codes `code_text` names (category, tier, registrar,
/// evidence, refusal, no-pay reason, sex, claim kind, disease): `code-<code>`
/// in the catalogue, and sent to the browser with the hydrated pages' texts.
#[cfg(feature = "ssr")]
pub const RULES_CODES: &[&str] = &[
    "student",
    "child",
    "migrant_child",
    "elderly",
    "disabled_adult",
    "adult_standard",
    "adult_assisted",
    "minor_standard",
    "minor_assisted",
    "school",
    "community_office",
    "dibao_certificate",
    "disability_certificate",
    "low_income_proof",
    "temporary_residence_permit",
    "id_card",
    "household_register",
    "photo",
    "ncms_enrolled",
    "employee_insured",
    "hukou_moved_in_too_recently",
    "working_age_not_covered",
    "birth_in_future",
    "not_covered",
    "excluded_cause",
    "transfer_not_approved",
    "emergency_not_filed",
    "not_special_disease",
    "male",
    "female",
    "inpatient",
    "transfer",
    "nondesignated_emergency",
    "outpatient_emergency",
    "special_outpatient",
    "student_accident",
    "organ_transplant",
    "cancer_radio_chemo",
    "uraemia_dialysis",
    "tuberculosis",
    "psychosis",
    "diabetes_insulin",
];

/// The other claim codes `claim_code_text` names (status, cause, document,
/// relation, reason, run kind, outcome): `code-<code>` too, server-side only.
#[cfg(feature = "ssr")]
pub const CLAIM_CODES: &[&str] = &[
    "special_disease",
    "special_item",
    "filed",
    "first_review",
    "second_review",
    "approved",
    "refused",
    "paid",
    "approval_status_requested",
    "approval_status_approved",
    "approval_status_refused",
    "fight",
    "crime",
    "drunkenness",
    "self_harm",
    "suicide",
    "traffic_accident",
    "medical_accident",
    "receipt",
    "diagnosis",
    "expense_list",
    "medical_record",
    "prescription",
    "relation_self",
    "relation_spouse",
    "relation_parent",
    "relation_child",
    "relation_relative",
    "relation_other",
    "documents_false",
    "cap_reached",
    "below_deductible",
    "found_at_review",
    "refunded",
    "not_refunded",
    "run_special_outpatient",
    "run_others",
    "claim_filed",
    "reported",
    "approval_requested",
    "uploaded",
    "relabelled",
    "removed",
    "first_reviewed",
    "decided",
    "returned",
    "approval_decided",
    "run_prepared",
    "run_released",
    "saved",
    "fraud_recorded",
    "repaid",
];

/// The name of a claim code (kind, status, disease, cause, document,
/// relation, reason, run kind, outcome) in the page's language: the same
/// `code-<code>` as `code_text`, so each name is written once.
#[cfg(feature = "ssr")]
pub fn claim_code_text(code: &str) -> String {
    code_name(use_lang(), code)
}

/// The name of a claim or RULES-API code in `lang` (a report's file is
/// named in the reader's language outside a page).
#[cfg(feature = "ssr")]
pub fn code_name(lang: Lang, code: &str) -> String {
    let known = CLAIM_CODES.contains(&code) || RULES_CODES.contains(&code);
    known
        .then(|| with_year(lang, &format!("code-{code}")))
        .flatten()
        .unwrap_or_else(|| code.to_string())
}

/// A refusal of a claim page's post, in the page's language, with the
/// numbers of this policy year it quotes.
#[cfg(feature = "ssr")]
pub fn claim_error(code: &str) -> String {
    refusal_text(use_lang(), code).unwrap_or_else(|| t(Msg::ErrInvalid).to_string())
}

/// The Fluent id of a refusal's words: `refusal-<code>` (`id:bad_length`
/// becomes `refusal-id-bad_length`).
pub fn refusal_id(code: &str) -> String {
    format!("refusal-{}", code.replace(':', "-"))
}

/// The words of a refusal code in `lang`, if the catalogue has them: on the
/// server with this policy year's numbers, in the browser from the page's
/// table.
pub fn refusal_text(lang: Lang, code: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        with_year(lang, &refusal_id(code))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lang;
        browser::refusal(code).map(str::to_string)
    }
}

/// The name of a RULES-API code (category, tier, registrar, evidence, refusal,
/// no-pay reason, sex) in the page's language; the code itself if unknown.
pub fn code_text(code: &str) -> String {
    #[cfg(feature = "ssr")]
    let text = catalogue::text(use_lang(), &format!("code-{code}"))
        .filter(|_| RULES_CODES.contains(&code));
    #[cfg(not(feature = "ssr"))]
    let text = browser::code(code);
    text.map_or_else(|| code.to_string(), str::to_string)
}

/// What the server sends the browser of a language: the texts of `Msg` in
/// its order, the names of the RULES-API codes and the refusals' words.
#[derive(Debug, Default, Serialize, Deserialize)]
struct BrowserTable {
    msg: Vec<String>,
    code: std::collections::HashMap<String, String>,
    /// The words of every refusal, by code, so that an error a server
    /// function answers reads the same in the browser.
    refusal: std::collections::HashMap<String, String>,
}

/// The id of the script element that carries the browser's table.
pub const BROWSER_TABLE_ID: &str = "portal-i18n";

#[cfg(test)]
mod lang_tests {
    use super::*;

    #[test]
    fn cookie_header_picks_language_and_defaults_to_chinese() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=zh"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header("other=en"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
    }
}
