//! Overpayments to refund (`/refunds`, agency): money that arrived for a year
//! already paid is never merged into the premium; it is listed here until an
//! administrator records that it went back. Server-rendered, a plain form per
//! line posting to server/src/refunds.rs.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use policy::money::Money;

use crate::components::loaded;
use crate::error::AppError;
use crate::i18n::{claim_error, t, Msg, PaperMsg};

struct Owed {
    lines: Vec<db::payments::Payment>,
    may_mark: bool,
}

async fn owed() -> Result<Owed, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(Owed {
        lines: db::payments::overpayments_to_refund(&st.db, &actor).await?,
        may_mark: actor.role == db::scope::Role::AgencyAdmin,
    })
}

#[component]
pub fn RefundsPage() -> impl IntoView {
    let query = use_query_map();
    let (error, done) = query.with(|q| (q.get("error"), q.get("refunded")));
    view! {
        <h1>{t(PaperMsg::RefundsTitle)}</h1>
        <p class="muted">{t(PaperMsg::RefundsHelp)}</p>
        {error.map(|code| view! { <p class="error" role="alert">{claim_error(&code)}</p> })}
        {done.map(|n| view! { <p class="ok" role="status">{t(PaperMsg::Refunded)} " " {n}</p> })}
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                loaded(owed().await, |o| if o.lines.is_empty() {
                    view! { <p>{t(PaperMsg::NothingToRefund)}</p> }.into_any()
                } else {
                    view! {
                        <table class="list" id="refunds">
                            <thead><tr>
                                <th>{t(Msg::ReceiptNumber)}</th><th>{t(Msg::Name)}</th><th>{t(Msg::IdNumber)}</th>
                                <th>{t(Msg::PolicyYear)}</th><th class="num">{t(Msg::Amount)}</th><th>{t(Msg::PaidAt)}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {o.lines.into_iter().map(|p| view! {
                                    <tr data-receipt=p.receipt_number.clone()>
                                        <td class="mono"><a href=format!("/receipt/{}", p.receipt_number) rel="external">{p.receipt_number.clone()}</a></td>
                                        <td>{p.person_name.clone()}</td><td class="mono">{db::households::masked_id(&p.id_number)}</td>
                                        <td>{p.policy_year}</td><td class="num">{Money::from_fen(p.amount_fen).to_string()}</td>
                                        <td>{db::local_minute(p.paid_at)}</td>
                                        <td>{o.may_mark.then(|| view! {
                                            <form method="post" action=format!("/refunds/{}", p.receipt_number) class="inline">
                                                <button type="submit">{t(PaperMsg::MarkRefunded)}</button>
                                            </form>
                                        })}</td>
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
