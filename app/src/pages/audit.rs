//! The audit trail as the agency sees it: the latest entries and whether the
//! hash chain is intact. Nothing here edits or deletes an entry.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::ErrorNote;
use crate::error::AppError;
use crate::i18n::{t, with_n, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub record: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSummary {
    pub entries: i64,
    pub first_broken: Option<i64>,
    pub latest: Vec<AuditLine>,
}

#[server(endpoint = "admin/audit")]
pub async fn audit_overview() -> Result<AuditSummary, AppError> {
    let actor = crate::ssr::actor().await?;
    // The chain spans every county: only the league's administrators read it whole.
    if actor.role != db::scope::Role::AgencyAdmin || !actor.is_league() {
        return Err(AppError::Forbidden);
    }
    let st = crate::ssr::state()?;
    let v = db::audit::verify(&st.db).await?;
    let latest = db::audit::latest(&st.db, 100)
        .await?
        .into_iter()
        .map(|e| AuditLine {
            seq: e.seq,
            at: db::local_time(e.at),
            actor: e.actor,
            action: e.action,
            record: format!("{} {}", e.entity, e.entity_id),
        })
        .collect();
    Ok(AuditSummary {
        entries: v.entries,
        first_broken: v.first_broken,
        latest,
    })
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| audit_overview());
    view! {
        <h1>{t(Msg::AuditTrail)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! {
                        {match o.first_broken {
                            None => view! { <p class="ok">{with_n(t(Msg::AuditChainOk), o.entries)}</p> }.into_any(),
                            Some(n) => view! { <p class="error" role="alert">{with_n(t(Msg::AuditChainBroken), n)}</p> }.into_any(),
                        }}
                        <table class="list">
                            <thead><tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{t(Msg::AuditWhen)}</th>
                                <th scope="col">{t(Msg::AuditWho)}</th>
                                <th scope="col">{t(Msg::AuditWhat)}</th>
                                <th scope="col">{t(Msg::AuditRecord)}</th>
                            </tr></thead>
                            <tbody>
                                {o.latest.into_iter().map(|l| view! {
                                    <tr><td>{l.seq}</td><td>{l.at}</td><td class="mono">{l.actor}</td><td class="mono">{l.action}</td><td>{l.record}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
