//! The agency's review desk (/claims/review): queues of the first and second review, and approvals.

use super::*;

pub(super) struct ReviewDesk {
    pub(super) first: (Vec<db::claims::QueueRow>, i64),
    pub(super) second: (Vec<db::claims::QueueRow>, i64),
    pub(super) approvals: Vec<db::claims::Approval>,
    pub(super) after: (i64, i64),
    pub(super) actor: db::Actor,
    pub(super) interest_rate: Option<String>,
}

pub(super) async fn review_desk(after: (i64, i64)) -> Result<ReviewDesk, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(ReviewDesk {
        first: db::claims::review_queue(&st.db, &actor, db::claims::Stage::First, after.0).await?,
        second: db::claims::review_queue(&st.db, &actor, db::claims::Stage::Second, after.1)
            .await?,
        approvals: db::claims::pending_approvals(&st.db, &actor).await?,
        interest_rate: db::claims::interest_rate(&st.db)
            .await?
            .map(|r| r.to_string()),
        after,
        actor,
    })
}

#[component]
pub fn ClaimReviewPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = |name: &str| {
        query
            .with(|q| q.get(name))
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0)
            .max(0)
    };
    let after = (cursor("first_after"), cursor("second_after"));
    view! {
        <h1>{t(Msg::ClaimReviewNav)}</h1>
        <Outcome/>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move { loaded(review_desk(after).await, |d| view! { <ReviewBody d=d/> }.into_any()) })}
        </Suspense>
    }
}

pub(super) fn queue_table(
    id: &'static str,
    rows: Vec<db::claims::QueueRow>,
    me: i64,
) -> impl IntoView {
    view! {
        <table class="list" id=id>
            <thead><tr>
                <th>{t(ClaimMsg::Claim)}</th><th>{t(ClaimMsg::Member)}</th><th>{t(ClaimMsg::Kind)}</th>
                <th>{t(ClaimMsg::CareTo)}</th><th class="num">{t(ClaimMsg::Billed)}</th><th>{t(ClaimMsg::FiledAt)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let mine = r.first_reviewer == Some(me);
                    view! {
                        <tr data-claim=r.number.clone()>
                            <td><a href=format!("/claims/{}", r.number) rel="external">{r.number.clone()}</a>
                                {mine.then(|| view! { " " <span class="muted">{t(ClaimMsg::YouDidFirst)}</span> })}</td>
                            <td>{r.person_name.clone()}</td><td>{claim_code_text(&r.kind)}</td><td>{r.care_to.to_string()}</td>
                            <td class="num">{yuan(r.billed_fen)}</td><td>{when(r.filed_at)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// First page and next page links of one queue, keeping the other queue's place.
pub(super) fn pager(
    name: &'static str,
    after: i64,
    rows: &[db::claims::QueueRow],
    other: (&'static str, i64),
) -> impl IntoView {
    let full = i64::try_from(rows.len()).unwrap_or(0) >= db::claims::QUEUE_PAGE;
    let next = rows.last().map(|r| r.id).filter(|_| full);
    let (other_name, other_after) = other;
    let link = move |to: i64| format!("/claims/review?{name}={to}&{other_name}={other_after}");
    (after > 0 || next.is_some()).then(|| {
        view! {
            <p class="actions">
                {(after > 0).then(|| view! { <a class="button secondary" href=link(0) rel="external">{t(ClaimMsg::FirstPage)}</a> })}
                {next.map(|n| view! { <a class="button secondary" href=link(n) rel="external">{t(ClaimMsg::Next)}</a> })}
            </p>
        }
    })
}

#[component]
fn ReviewBody(d: ReviewDesk) -> impl IntoView {
    let me = d.actor.user_id;
    let (first_after, second_after) = d.after;
    let is_league_admin = d.actor.role == db::scope::Role::AgencyAdmin && d.actor.is_league();
    view! {
        <section class="card" aria-labelledby="q-first">
            <h2 id="q-first">{t(ClaimMsg::FirstReview)} " (" {d.first.1} ")"</h2>
            {pager("first_after", first_after, &d.first.0, ("second_after", second_after))}
            {queue_table("queue-first", d.first.0, me)}
        </section>
        <section class="card" aria-labelledby="q-second">
            <h2 id="q-second">{t(ClaimMsg::SecondReview)} " (" {d.second.1} ")"</h2>
            {pager("second_after", second_after, &d.second.0, ("first_after", first_after))}
            {queue_table("queue-second", d.second.0, me)}
        </section>
        <section class="card" aria-labelledby="q-approvals">
            <h2 id="q-approvals">{t(ClaimMsg::Approvals)} " (" {d.approvals.len()} ")"</h2>
            <ul class="links">
                {d.approvals.into_iter().map(|a| view! {
                    <li data-approval=a.id.to_string()>
                        {a.person_name.clone()} " · " {claim_code_text(&a.kind)}
                        {a.disease.as_deref().map(|x| format!(" ({})", claim_code_text(x)))}
                        " · " {a.hospital.clone()} " · " {a.care_on.to_string()}
                        {a.emergency.then(|| format!(" · {}", t(ClaimMsg::DoneInEmergency)))}
                        {a.amount_fen.map(|f| format!(" · {}", yuan(f)))}
                        " · " {a.reason.clone()}
                        <form method="post" action=format!("/claims/approvals/{}/decide", a.id) class="inline">
                            <input name="note" maxlength="200" aria-label=t(ClaimMsg::Note) placeholder=t(ClaimMsg::Note)/>
                            <button type="submit" name="approve" value="1">{t(ClaimMsg::Approve)}</button>
                            <button type="submit" name="approve" value="0" class="secondary">{t(ClaimMsg::Refuse)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        {is_league_admin.then(|| view! {
            <section class="card" aria-labelledby="interest">
                <h2 id="interest">{t(ClaimMsg::InterestRate)}</h2>
                <p class="muted">{t(ClaimMsg::InterestHelp)}</p>
                <form class="inline" method="post" action="/claims/settings/interest-rate">
                    <input name="rate" inputmode="decimal" required value=d.interest_rate.clone().unwrap_or_default() aria-label=t(ClaimMsg::InterestRate)/>
                    <button type="submit">{t(ClaimMsg::Save)}</button>
                </form>
            </section>
        })}
    }
}
