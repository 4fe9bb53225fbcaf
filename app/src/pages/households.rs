//! A family at the office desk and on its own phone (#16), rendered on the
//! server only, plain forms that post and redirect:
//! - `/households/new`: an office opens a household (address, hukou type,
//!   the head and up to eight members with their circumstances) and enrols
//!   them for a policy year in one step (`db::household_open::open`); then
//!   its registration form is printed with the family's activation code.
//! - `/signup`: the family creates its account with that code and the
//!   identity number of one of its members, on a 360 px phone.
//! - `/duplicates`: possible duplicates for the agency, never merged.
//!
//! A refused post is answered by this same page rendered with what was
//! typed ([`FormEcho`], put in context by the server's handler) and the
//! refusal next to its field, with the refusal's 4xx status.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::loaded;
use crate::error::AppError;
use crate::i18n::{t, use_lang, HouseMsg, Msg};

/// What a refused post typed, and what was refused, for the page to show again.
#[derive(Debug, Clone, Default)]
pub struct FormEcho {
    pub values: Vec<(String, String)>,
    /// The field the refusal is about; `None` for the form as a whole.
    pub field: Option<String>,
    pub error: Option<AppError>,
}

impl FormEcho {
    pub fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn ticked(&self, name: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && !v.is_empty())
    }
}

fn echo() -> FormEcho {
    use_context::<FormEcho>().unwrap_or_default()
}

/// The refusal's words under the field it is about, if it is this one.
fn field_error(echo: &FormEcho, field: &str) -> Option<AnyView> {
    if echo.field.as_deref() != Some(field) {
        return None;
    }
    let text = echo.error.as_ref()?.message(use_lang());
    Some(view! { <p class="error" role="alert" id=format!("{field}-error")>{text}</p> }.into_any())
}

/// A refusal about no field (or one the page does not show) at the top.
fn form_error(echo: &FormEcho, shown: &[String]) -> Option<AnyView> {
    let e = echo.error.as_ref()?;
    if echo.field.as_ref().is_some_and(|f| shown.contains(f)) {
        return None;
    }
    let text = e.message(use_lang());
    Some(view! { <p class="error" role="alert" id="form-error">{text}</p> }.into_any())
}

/// A labelled text input that shows what was typed and its refusal.
fn text_field(
    echo: &FormEcho,
    name: &str,
    label: &'static str,
    max: usize,
    attrs: (&'static str, &'static str),
) -> AnyView {
    let invalid = echo.field.as_deref() == Some(name);
    let (kind, complete) = attrs;
    view! {
        <label for=name.to_string()>{label}</label>
        <input id=name.to_string() name=name.to_string() type=kind value=echo.value(name)
            maxlength=max.to_string() autocomplete=complete
            aria-invalid=invalid.then_some("true")
            aria-describedby=invalid.then(|| format!("{name}-error"))/>
        {field_error(echo, name)}
    }
    .into_any()
}

pub const RELATIONS: [&str; 8] = [
    "head",
    "spouse",
    "child",
    "parent",
    "grandchild",
    "grandparent",
    "sibling",
    "other",
];
pub const HUKOU_TYPES: [&str; 3] = ["local_urban", "local_agricultural", "non_local"];
const FACTS: [(&str, Msg); 7] = [
    ("in_school", Msg::FactInSchool),
    ("employee_insured", Msg::FactEmployeeInsured),
    ("flexible_employment", Msg::FactFlexible),
    ("ncms_enrolled", Msg::FactNcms),
    ("migrant_worker_child", Msg::FactMigrantChild),
    ("dibao", Msg::FactDibao),
    ("low_income_household", Msg::FactLowIncome),
];

fn relation_text(code: &str) -> &'static str {
    t(match code {
        "head" => HouseMsg::RelHead,
        "spouse" => HouseMsg::RelSpouse,
        "child" => HouseMsg::RelChild,
        "parent" => HouseMsg::RelParent,
        "grandchild" => HouseMsg::RelGrandchild,
        "grandparent" => HouseMsg::RelGrandparent,
        "sibling" => HouseMsg::RelSibling,
        _ => HouseMsg::RelOther,
    })
}

pub fn hukou_text(code: &str) -> &'static str {
    t(match code {
        "local_urban" => HouseMsg::HukouLocalUrban,
        "local_agricultural" => HouseMsg::HukouLocalAgricultural,
        _ => HouseMsg::HukouNonLocal,
    })
}

struct Desk {
    years: Vec<i32>,
}

async fn desk() -> Result<Desk, AppError> {
    let actor = crate::ssr::actor().await?;
    if actor.role != db::scope::Role::OfficeAgent {
        return Err(AppError::Forbidden);
    }
    let st = crate::ssr::state()?;
    Ok(Desk {
        years: st.rules().years.keys().rev().copied().collect(),
    })
}

/// One member's row: head first, then up to eight more.
fn member_row(echo: &FormEcho, i: usize) -> AnyView {
    let f = |name: &str| format!("m{i}_{name}");
    let legend = if i == 0 {
        t(HouseMsg::Head).to_string()
    } else {
        format!("{} {i}", t(HouseMsg::Member))
    };
    let relation = echo.value(&f("relation"));
    let relation_name = f("relation");
    let relation_invalid = echo.field.as_deref() == Some(relation_name.as_str());
    let grade = echo.value(&f("disability_grade"));
    view! {
        <fieldset class="member" data-member=i>
            <legend>{legend}</legend>
            <div class="grid">
                <div>{text_field(echo, &f("id_number"), t(Msg::IdNumber), 30, ("text", "off"))}</div>
                <div>{text_field(echo, &f("name"), t(Msg::Name), 60, ("text", "off"))}</div>
                <div>
                    <label for=relation_name.clone()>{t(HouseMsg::Relation)}</label>
                    {if i == 0 {
                        view! {
                            <input type="hidden" name=relation_name.clone() value="head"/>
                            <input id=relation_name.clone() value=relation_text("head") readonly/>
                        }.into_any()
                    } else {
                        view! {
                            <select id=relation_name.clone() name=relation_name.clone()
                                aria-invalid=relation_invalid.then_some("true")>
                                {RELATIONS.iter().skip(1).map(|r| view! {
                                    <option value=*r selected=relation == *r>{relation_text(r)}</option>
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }}
                    {field_error(echo, &relation_name)}
                </div>
                <div>{text_field(echo, &f("phone"), t(HouseMsg::Phone), 30, ("tel", "off"))}</div>
            </div>
            <details open=FACTS.iter().any(|(k, _)| echo.ticked(&f(k))) || !grade.is_empty()>
                <summary>{t(Msg::Circumstances)}</summary>
                {FACTS.iter().map(|(k, label)| {
                    let name = f(k);
                    let on = echo.ticked(&name);
                    view! { <label class="check"><input type="checkbox" name=name value="on" checked=on/> {t(*label)}</label> }
                }).collect_view()}
                <label for=f("disability_grade")>{t(Msg::FactDisability)}</label>
                <select id=f("disability_grade") name=f("disability_grade")>
                    <option value="">{t(Msg::NoneOption)}</option>
                    {(1..=4u8).map(|g| view! { <option value=g.to_string() selected=grade == g.to_string()>{g}</option> }).collect_view()}
                </select>
            </details>
        </fieldset>
    }
    .into_any()
}

/// How many member rows the form has: the head and eight more.
pub const MEMBER_ROWS: usize = 9;

#[component]
pub fn NewHouseholdPage() -> impl IntoView {
    let echo = echo();
    view! {
        <h1>{t(HouseMsg::NewTitle)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {let echo = echo.clone();
            Suspend::new(async move {
                loaded(desk().await, move |d| {
                    let year = echo.value("policy_year");
                    let hukou = echo.value("hukou_type");
                    let mut shown: Vec<String> = ["address", "hukou_type", "policy_year"].iter().map(|s| s.to_string()).collect();
                    for i in 0..MEMBER_ROWS {
                        for k in ["id_number", "name", "relation", "phone"] {
                            shown.push(format!("m{i}_{k}"));
                        }
                    }
                    view! {
                        <form method="post" action="/households/new" class="stack card" id="new-household">
                            <p class="muted">{t(HouseMsg::NewHelp)}</p>
                            {form_error(&echo, &shown)}
                            {text_field(&echo, "address", t(Msg::Address), 200, ("text", "street-address"))}
                            <label for="hukou_type">{t(HouseMsg::HukouType)}</label>
                            <select id="hukou_type" name="hukou_type">
                                {HUKOU_TYPES.iter().map(|h| view! { <option value=*h selected=hukou == *h>{hukou_text(h)}</option> }).collect_view()}
                            </select>
                            {field_error(&echo, "hukou_type")}
                            <label for="policy_year">{t(Msg::PolicyYear)}</label>
                            <select id="policy_year" name="policy_year">
                                {d.years.iter().map(|y| view! { <option value=y.to_string() selected=year == y.to_string()>{*y}</option> }).collect_view()}
                            </select>
                            {field_error(&echo, "policy_year")}
                            {(0..MEMBER_ROWS).map(|i| member_row(&echo, i)).collect_view()}
                            <button type="submit">{t(HouseMsg::Open)}</button>
                        </form>
                    }.into_any()
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let echo = echo();
    // The QR code on the form leads here with the code filled in.
    let from_link = use_query_map().with(|q| q.get("code")).unwrap_or_default();
    let mut echo = echo;
    if echo.value("code").is_empty() && !from_link.is_empty() {
        echo.values.push(("code".into(), from_link));
    }
    let shown: Vec<String> = [
        "code",
        "id_number",
        "username",
        "display_name",
        "password",
        "repeat",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    view! {
        <section class="card narrow signup">
            <h1>{t(HouseMsg::SignupTitle)}</h1>
            <p class="muted">{t(HouseMsg::SignupHelp)}</p>
            {form_error(&echo, &shown)}
            <form method="post" action="/signup" class="stack" id="signup">
                {text_field(&echo, "code", t(HouseMsg::Code), 40, ("text", "one-time-code"))}
                {text_field(&echo, "id_number", t(HouseMsg::MemberIdNumber), 30, ("text", "off"))}
                {text_field(&echo, "username", t(Msg::Username), 40, ("text", "username"))}
                {text_field(&echo, "display_name", t(Msg::DisplayName), 64, ("text", "name"))}
                // Never shown again after a refusal.
                {text_field(&FormEcho { values: vec![], ..echo.clone() }, "password", t(Msg::Password), 128, ("password", "new-password"))}
                {text_field(&FormEcho { values: vec![], ..echo.clone() }, "repeat", t(HouseMsg::RepeatPassword), 128, ("password", "new-password"))}
                <button type="submit">{t(HouseMsg::SignupGo)}</button>
            </form>
            <p><a href="/signup/phone" rel="external">{t(HouseMsg::NoCode)}</a></p>
            <p><a href="/login">{t(Msg::Login)}</a></p>
        </section>
    }
}

struct Duplicates {
    flags: Vec<db::duplicates::Flag>,
}

async fn duplicates() -> Result<Duplicates, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(Duplicates {
        flags: db::duplicates::flags(&st.db, &actor, 200).await?,
    })
}

fn flag_text(kind: db::duplicates::FlagKind) -> &'static str {
    use db::duplicates::FlagKind;
    t(match kind {
        FlagKind::SameNameAndBirth => HouseMsg::DupSameNameBirth,
        FlagKind::SharedPhone => HouseMsg::DupSharedPhone,
        FlagKind::OtherSchool => HouseMsg::DupOtherSchool,
    })
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    view! {
        <h1>{t(HouseMsg::DupTitle)}</h1>
        <p class="muted">{t(HouseMsg::DupHelp)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(duplicates().await, |d| {
                    if d.flags.is_empty() {
                        return view! { <p role="status">{t(Msg::NoRecords)}</p> }.into_any();
                    }
                    view! {
                        <table class="list" id="duplicates">
                            <thead><tr><th>{t(HouseMsg::DupKind)}</th><th>{t(HouseMsg::DupWho)}</th><th>{t(HouseMsg::DupDetail)}</th></tr></thead>
                            <tbody>
                                {d.flags.into_iter().map(|f| view! {
                                    <tr data-kind=f.kind.code()>
                                        <td>{flag_text(f.kind)}</td>
                                        <td>
                                            {f.persons.into_iter().map(|(id, name)| view! {
                                                <a href=format!("/people/{id}") rel="external">{name}</a> " "
                                            }).collect_view()}
                                        </td>
                                        <td class="mono">{f.detail}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                })
            })}
        </Suspense>
    }
}
