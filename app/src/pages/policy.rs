//! The parameters of each policy year, as the agency sees them, and the
//! publishing of a new year or a correction (a new version, never an edit).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::ErrorNote;
use crate::error::AppError;
use crate::i18n::{t, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearLine {
    pub year: i32,
    pub version: u32,
    pub published: String,
    pub published_by: String,
    pub in_force: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    pub versions: Vec<YearLine>,
    /// The parameters in force for each year, as TOML, newest year first.
    pub texts: Vec<(i32, u32, String)>,
    /// A draft of next year's file: the newest year's, moved on by one.
    pub next_draft: String,
    pub can_publish: bool,
}

#[server(endpoint = "admin/policy")]
pub async fn policy_overview() -> Result<PolicyView, AppError> {
    let actor = crate::ssr::actor().await?;
    if !actor.role.is_agency() {
        return Err(AppError::Forbidden);
    }
    let st = crate::ssr::state()?;
    let rules = st.rules();
    let versions = db::policy_years::list(&st.db)
        .await?
        .into_iter()
        .map(|v| YearLine {
            year: v.year,
            version: v.version,
            in_force: rules.years.get(&v.year).map(|p| p.version) == Some(v.version),
            published: v.published_at.map(db::local_time).unwrap_or_default(),
            published_by: v.published_by.unwrap_or_default(),
        })
        .collect();
    let texts: Vec<(i32, u32, String)> = rules
        .years
        .values()
        .rev()
        .map(|p| (p.year, p.version, p.to_toml().unwrap_or_default()))
        .collect();
    let next_draft = rules
        .years
        .values()
        .next_back()
        .map(|p| {
            let mut next = p.clone();
            next.year += 1;
            next.version = 1;
            // The holidays of a new year are the State Council's to announce: start from none.
            next.calendar = policy::params::HolidayCalendar {
                source: "to be filled in from the State Council notice".into(),
                holidays: Default::default(),
                working_weekends: Default::default(),
            };
            next.note = Some(format!("draft from {}", p.year));
            next.to_toml().unwrap_or_default()
        })
        .unwrap_or_default();
    Ok(PolicyView {
        versions,
        texts,
        next_draft,
        can_publish: actor.role == db::scope::Role::AgencyAdmin && actor.is_league(),
    })
}

#[server(endpoint = "admin/policy/publish")]
pub async fn publish_policy(params_toml: String) -> Result<String, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let (year, version) = db::policy_years::publish(&st.db, &actor, &params_toml).await?;
    st.replace_rules(db::policy_years::load(&st.db).await?);
    Ok(format!("{year} v{version}"))
}

#[component]
pub fn PolicyPage() -> impl IntoView {
    let publish = ServerAction::<PublishPolicy>::new();
    let data = Resource::new(move || publish.version().get(), |_| policy_overview());
    view! {
        <h1>{t(Msg::PolicyParams)}</h1>
        <p class="muted">{t(Msg::PolicyParamsIntro)}</p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(v) => view! {
                        <section class="card">
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">{t(Msg::PolicyYear)}</th>
                                    <th scope="col">{t(Msg::Version)}</th>
                                    <th scope="col">{t(Msg::PublishedAt)}</th>
                                    <th scope="col">{t(Msg::AuditWho)}</th>
                                    <th scope="col">{t(Msg::InForce)}</th>
                                </tr></thead>
                                <tbody>
                                    {v.versions.into_iter().map(|l| view! {
                                        <tr>
                                            <td>{l.year}</td><td>{l.version}</td>
                                            <td>{if l.published.is_empty() { t(Msg::Shipped).to_string() } else { l.published }}</td>
                                            <td>{l.published_by}</td>
                                            <td>{if l.in_force { "✓" } else { "" }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                        {v.texts.into_iter().map(|(year, version, text)| view! {
                            <details class="card">
                                <summary>{year} " · " {t(Msg::Version)} " " {version}</summary>
                                <pre class="params">{text}</pre>
                            </details>
                        }).collect_view()}
                        {v.can_publish.then(|| view! {
                            <section class="card" aria-labelledby="publish-h">
                                <h2 id="publish-h">{t(Msg::PublishYear)}</h2>
                                <p class="muted">{t(Msg::PublishHelp)}</p>
                                <ActionForm action=publish attr:class="stack">
                                    <label for="params_toml">{t(Msg::ParamsText)}</label>
                                    <textarea id="params_toml" name="params_toml" rows="16" class="mono">{v.next_draft.clone()}</textarea>
                                    <button type="submit">{t(Msg::Publish)}</button>
                                </ActionForm>
                            </section>
                        })}
                    }.into_any(),
                }
            })}
        </Transition>
        {move || publish.value().get().map(|r| match r {
            Ok(what) => view! { <p class="ok" role="status">{t(Msg::Published)} " " {what}</p> }.into_any(),
            Err(e) => view! { <ErrorNote error=e/> }.into_any(),
        })}
    }
}
