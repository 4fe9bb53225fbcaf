//! Papers to print on A4: the registration form (参保登记表) of a household,
//! with a QR code leading back to its record, and the list of registered
//! residents that an office signs and hands to the agency (E12). Both are
//! rendered on the server only (the QR code too, as SVG): printing needs no
//! WebAssembly, and these pages add nothing to it.

#[cfg(feature = "ssr")]
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::components::loaded;
#[cfg(feature = "ssr")]
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::{code_text, t, use_lang, HouseMsg, Msg, PaperMsg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormRow {
    pub name: String,
    pub id_number: String,
    pub sex: String,
    pub birth_date: String,
    pub category: String,
    pub tier: String,
    pub personal: String,
    pub status: String,
}

/// The cookie that brings a household's new activation code to its printed
/// form, once (server/src/households.rs sets it; the form clears it).
pub const NEW_CODE_COOKIE: &str = "portal_new_code";

/// The family's activation code on the printed form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeOnForm {
    /// Just issued: the code, its QR (SVG, leading to `/signup` with the code) and its last day.
    New {
        code: String,
        qr_svg: String,
        expires: String,
    },
    /// One is open, issued earlier: it cannot be shown again.
    Issued { expires: String },
    /// None open (used, expired or never issued).
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdFormView {
    pub id: i64,
    pub hukou_type: Option<String>,
    pub code: CodeOnForm,
    /// The office of the household may issue a new code.
    pub can_reissue: bool,
    pub number: String,
    pub address: String,
    pub office: (String, String),
    pub year: i32,
    pub rows: Vec<FormRow>,
    pub total_personal: String,
    pub record_url: String,
    /// The QR code of `record_url`, as an SVG element.
    pub qr_svg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeListView {
    pub office: (String, String),
    pub year: i32,
    pub years: Vec<i32>,
    pub rows: Vec<FormRow>,
    pub total_personal: String,
    pub total_contribution: String,
}

#[cfg(feature = "ssr")]
fn qr_svg(text: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|_| AppError::Internal)?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(132, 132)
        .build();
    // Inline in HTML: the XML declaration has no place there.
    Ok(svg
        .find("<svg")
        .map(|i| svg[i..].to_string())
        .unwrap_or(svg))
}

#[cfg(feature = "ssr")]
fn year_or_newest(st: &crate::ssr::AppState, year: Option<i32>) -> Result<i32, AppError> {
    let rules = st.rules();
    match year {
        Some(y) if rules.years.contains_key(&y) => Ok(y),
        Some(_) => Err(AppError::bad_input("policy_year")),
        None => rules
            .years
            .keys()
            .next_back()
            .copied()
            .ok_or(AppError::bad_input("policy_year")),
    }
}

#[cfg(feature = "ssr")]
fn row(name: String, id_number: &str, e: Option<&db::enrolment::Enrolment>) -> FormRow {
    let id = policy::idcard::check(id_number).ok();
    FormRow {
        name,
        id_number: id_number.to_string(),
        sex: id
            .as_ref()
            .map(|i| i.sex.code().to_string())
            .unwrap_or_default(),
        birth_date: id.map(|i| i.birth_date.to_string()).unwrap_or_default(),
        category: e.map(|e| e.category.code().to_string()).unwrap_or_default(),
        tier: e.map(|e| e.tier.code().to_string()).unwrap_or_default(),
        personal: e
            .map(|e| policy::Money::from_fen(e.personal_fen).to_string())
            .unwrap_or_default(),
        status: e.map(|e| e.status.code().to_string()).unwrap_or_default(),
    }
}

#[cfg(feature = "ssr")]
async fn office_names(st: &crate::ssr::AppState, code: &str) -> Result<(String, String), AppError> {
    Ok(db::orgs::get(&st.db, code)
        .await?
        .map(|o| (o.name_zh, o.name_en))
        .unwrap_or_else(|| (code.to_string(), code.to_string())))
}

#[cfg(feature = "ssr")]
async fn household_form(
    household_id: i64,
    year: Option<i32>,
) -> Result<HouseholdFormView, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let year = year_or_newest(&st, year)?;
    let household = db::households::get(&st.db, &actor, household_id).await?;
    let members = db::households::members(&st.db, &actor, household_id).await?;
    let filter = db::enrolment::Filter {
        policy_year: Some(year),
        household_id: Some(household_id),
        limit: Some(1000),
        ..Default::default()
    };
    let enrolments = db::enrolment::list_for_actor(&st.db, &actor, &filter).await?;
    let mut total = 0i64;
    let rows = members
        .into_iter()
        .map(|p| {
            let e = enrolments.iter().find(|e| e.person_id == p.id);
            total += e.map(|e| e.personal_fen).unwrap_or(0);
            row(p.name, &p.id_number, e)
        })
        .collect();
    let record_url =
        crate::ssr::public_link(&st, &format!("/household/{household_id}/form?year={year}"));
    let can_reissue = actor.role == db::scope::Role::OfficeAgent
        && actor.org_code.as_deref() == Some(household.office_code.as_str());
    let day = |ms: i64| db::rfc3339_local(ms).chars().take(10).collect::<String>();
    let code = match new_code(household_id) {
        Some(code) => {
            let link = crate::ssr::public_link(&st, &format!("/signup?code={code}"));
            let expires = db::household_open::open_code_expiry(&st.db, &actor, household_id)
                .await?
                .map(day)
                .unwrap_or_default();
            CodeOnForm::New {
                qr_svg: qr_svg(&link)?,
                code,
                expires,
            }
        }
        None if can_reissue => {
            match db::household_open::open_code_expiry(&st.db, &actor, household_id).await? {
                Some(ms) => CodeOnForm::Issued { expires: day(ms) },
                None => CodeOnForm::None,
            }
        }
        None => CodeOnForm::None,
    };
    Ok(HouseholdFormView {
        id: household_id,
        hukou_type: db::household_open::hukou_type_of(&st.db, household_id).await?,
        code,
        can_reissue,
        number: household.number,
        address: household.address,
        office: office_names(&st, &household.office_code).await?,
        year,
        rows,
        total_personal: policy::Money::from_fen(total).to_string(),
        qr_svg: qr_svg(&record_url)?,
        record_url,
    })
}

/// The code the post that made it left in its cookie for this household's
/// form, if any; the cookie is cleared, so the code is shown this once.
#[cfg(feature = "ssr")]
fn new_code(household_id: i64) -> Option<String> {
    let value = crate::ssr::cookie(NEW_CODE_COOKIE)?;
    let (id, code) = value.split_once('.')?;
    if id.parse::<i64>().ok()? != household_id {
        return None;
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let clear = format!(
            "{NEW_CODE_COOKIE}=; Path=/household/{household_id}/form; Max-Age=0; HttpOnly; SameSite=Strict"
        );
        if let Ok(v) = http::HeaderValue::from_str(&clear) {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }
    Some(code.to_string())
}

#[cfg(feature = "ssr")]
async fn office_list(year: Option<i32>) -> Result<OfficeListView, AppError> {
    let actor = crate::ssr::actor().await?;
    if !matches!(
        actor.role,
        db::scope::Role::OfficeAgent | db::scope::Role::SchoolAgent
    ) {
        return Err(AppError::Forbidden);
    }
    let st = crate::ssr::state()?;
    let org = actor.org_code.clone().ok_or(AppError::Forbidden)?;
    let year = year_or_newest(&st, year)?;
    let filter = db::enrolment::Filter {
        policy_year: Some(year),
        registrar_org: Some(org.clone()),
        limit: Some(1000),
        ..Default::default()
    };
    use db::enrolment::Status;
    let mut listed: Vec<_> = db::enrolment::list_for_actor(&st.db, &actor, &filter)
        .await?
        .into_iter()
        // Drafts and records sent back are not yet the office's word to the agency.
        .filter(|e| matches!(e.status, Status::Submitted | Status::Approved))
        .collect();
    listed.sort_by_key(|e| e.id);
    let personal: i64 = listed.iter().map(|e| e.personal_fen).sum();
    let contribution: i64 = listed.iter().map(|e| e.total_fen).sum();
    Ok(OfficeListView {
        office: office_names(&st, &org).await?,
        year,
        years: st.rules().years.keys().rev().copied().collect(),
        rows: listed
            .iter()
            .map(|e| row(e.person_name.clone(), &e.id_number, Some(e)))
            .collect(),
        total_personal: policy::Money::from_fen(personal).to_string(),
        total_contribution: policy::Money::from_fen(contribution).to_string(),
    })
}

#[cfg(feature = "ssr")]
pub use server_rendered::{HouseholdFormPage, OfficeListPage};

#[cfg(feature = "ssr")]
mod server_rendered {
    use super::*;

    #[component]
    fn PrintButton() -> impl IntoView {
        // The one line of script these pages have; everything else is HTML.
        view! { <button type="button" class="noprint" onclick="window.print()">{t(PaperMsg::PrintNow)}</button> }
    }

    #[component]
    fn Signatures(lines: Vec<PaperMsg>) -> impl IntoView {
        view! {
            <div class="signatures">
                {lines.into_iter().map(|m| view! {
                    <div class="sign"><span>{t(m)}</span><span class="sign-date">{t(PaperMsg::DateLine)} "：    年   月   日"</span></div>
                }).collect_view()}
            </div>
        }
    }

    fn status_text(code: &str) -> &'static str {
        match code {
            "" => "",
            "draft" => t(Msg::StatusDraft),
            "submitted" => t(Msg::StatusSubmitted),
            "approved" => t(Msg::StatusApproved),
            _ => t(Msg::StatusRejected),
        }
    }

    #[component]
    fn Rows(rows: Vec<FormRow>) -> impl IntoView {
        rows.into_iter()
            .enumerate()
            .map(|(i, r)| {
                let verdict = if r.category.is_empty() {
                    String::new()
                } else {
                    format!("{} · {}", code_text(&r.category), code_text(&r.tier))
                };
                view! {
                    <tr>
                        <td>{i + 1}</td><td>{r.name}</td><td class="mono">{r.id_number}</td>
                        <td>{code_text(&r.sex)}</td><td>{r.birth_date}</td>
                        <td>{verdict}</td><td class="num">{r.personal}</td><td>{status_text(&r.status)}</td>
                    </tr>
                }
            })
            .collect_view()
    }

    #[component]
    fn Head() -> impl IntoView {
        view! {
            <thead><tr>
                <th scope="col">{t(PaperMsg::Seq)}</th><th scope="col">{t(Msg::Name)}</th><th scope="col">{t(Msg::IdNumber)}</th>
                <th scope="col">{t(PaperMsg::Sex)}</th><th scope="col">{t(Msg::BirthDate)}</th><th scope="col">{t(Msg::Tier)}</th>
                <th scope="col">{t(Msg::PersonalShare)}</th><th scope="col">{t(Msg::Status)}</th>
            </tr></thead>
        }
    }

    #[component]
    pub fn HouseholdFormPage() -> impl IntoView {
        let params = use_params_map();
        let query = use_query_map();
        let id = params
            .with(|p| p.get("id"))
            .and_then(|i| i.parse::<i64>().ok())
            .unwrap_or(0);
        let year = query
            .with(|q| q.get("year"))
            .and_then(|y| y.parse::<i32>().ok());
        view! {
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {Suspend::new(async move {
                    loaded(household_form(id, year).await, |f| {
                            let office = use_lang().pick(&f.office.0, &f.office.1).to_string();
                            view! {
                            <article class="printform" aria-labelledby="form-h">
                                <header class="printhead">
                                    <div>
                                        <h1 id="form-h">{t(PaperMsg::RegFormTitle)}</h1>
                                        <dl class="facts">
                                            <dt>{t(Msg::PolicyYear)}</dt><dd>{f.year}</dd>
                                            <dt>{t(Msg::HouseholdNumber)}</dt><dd>{f.number}</dd>
                                            <dt>{t(Msg::Address)}</dt><dd>{f.address}</dd>
                                            <dt>{t(Msg::RegisteredBy)}</dt><dd>{office}</dd>
                                            {f.hukou_type.clone().map(|h| view! {
                                                <dt>{t(HouseMsg::HukouType)}</dt><dd>{crate::pages::households::hukou_text(&h)}</dd>
                                            })}
                                        </dl>
                                    </div>
                                    <figure class="qr">
                                        <div inner_html=f.qr_svg></div>
                                        <figcaption>{t(PaperMsg::ScanForRecord)}</figcaption>
                                    </figure>
                                </header>
                                <ActivationCode code=f.code.clone() id=f.id can_reissue=f.can_reissue/>
                                <table class="list ruled">
                                    <Head/>
                                    <tbody><Rows rows=f.rows/></tbody>
                                    <tfoot><tr><th scope="row" colspan="6">{t(PaperMsg::TotalRow)}</th><td class="num">{f.total_personal}</td><td></td></tr></tfoot>
                                </table>
                                <Signatures lines=vec![PaperMsg::SignResident, PaperMsg::SignAgent]/>
                                <PrintButton/>
                            </article>
                            }.into_any()
                    })
                })}
            </Suspense>
        }
    }

    /// The family's code: shown once when just issued, else where it stands
    /// and (for the office) the button to issue a new one.
    #[component]
    fn ActivationCode(code: CodeOnForm, id: i64, can_reissue: bool) -> impl IntoView {
        let reissue = can_reissue.then(|| {
            view! {
                <form method="post" action=format!("/household/{id}/code") class="noprint">
                    <button type="submit" class="secondary">{t(HouseMsg::CodeReissue)}</button>
                </form>
            }
        });
        match code {
            CodeOnForm::New { code, qr_svg, expires } => view! {
                <section class="activation" aria-labelledby="code-h">
                    <div>
                        <h2 id="code-h">{t(HouseMsg::CodeTitle)}</h2>
                        <p class="code mono" id="activation-code">{code}</p>
                        <p>{t(HouseMsg::CodeUntil)} " " {expires}</p>
                        <p class="muted">{t(HouseMsg::CodeHowTo)}</p>
                        <p class="muted noprint">{t(HouseMsg::CodeOnce)}</p>
                    </div>
                    <figure class="qr">
                        <div inner_html=qr_svg></div>
                        <figcaption>{t(HouseMsg::CodeScan)}</figcaption>
                    </figure>
                </section>
            }.into_any(),
            CodeOnForm::Issued { expires } => view! {
                <section class="activation noprint" aria-labelledby="code-h">
                    <h2 id="code-h">{t(HouseMsg::CodeTitle)}</h2>
                    <p>{t(HouseMsg::CodeHidden)} " " {expires}</p>
                    {reissue}
                </section>
            }.into_any(),
            CodeOnForm::None => view! {
                <section class="activation noprint" aria-labelledby="code-h">
                    {can_reissue.then(|| view! { <h2 id="code-h">{t(HouseMsg::CodeTitle)}</h2><p>{t(HouseMsg::CodeNone)}</p> })}
                    {reissue}
                </section>
            }.into_any(),
        }
    }

    #[component]
    pub fn OfficeListPage() -> impl IntoView {
        let query = use_query_map();
        let year = query
            .with(|q| q.get("year"))
            .and_then(|y| y.parse::<i32>().ok());
        view! {
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {Suspend::new(async move {
                    loaded(office_list(year).await, |l| {
                            let office = use_lang().pick(&l.office.0, &l.office.1).to_string();
                            let count = l.rows.len();
                            view! {
                            <article class="printform" aria-labelledby="list-h">
                                <h1 id="list-h">{office} " " {l.year} " " {t(PaperMsg::OfficeListTitle)}</h1>
                                <form class="noprint" method="get" action="/office/list">
                                    <label for="list_year">{t(Msg::PolicyYear)}</label>
                                    <select id="list_year" name="year">
                                        {l.years.iter().map(|y| view! { <option value=y.to_string() selected=*y == l.year>{*y}</option> }).collect_view()}
                                    </select>
                                    <button type="submit" class="secondary">{t(PaperMsg::Show)}</button>
                                </form>
                                <table class="list ruled">
                                    <Head/>
                                    <tbody><Rows rows=l.rows/></tbody>
                                    <tfoot>
                                        <tr><th scope="row" colspan="6">{t(PaperMsg::TotalRow)} " · " {t(PaperMsg::PersonsCount)} " " {count}</th><td class="num">{l.total_personal}</td><td></td></tr>
                                        <tr><th scope="row" colspan="6">{t(Msg::TotalContribution)}</th><td class="num">{l.total_contribution}</td><td></td></tr>
                                    </tfoot>
                                </table>
                                <Signatures lines=vec![PaperMsg::SignAgent, PaperMsg::SignHead, PaperMsg::SignAgency]/>
                                <PrintButton/>
                            </article>
                            }.into_any()
                    })
                })}
            </Suspense>
        }
    }
}
