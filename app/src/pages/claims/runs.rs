//! Payment runs (/runs, /runs/{number}): prepare, release by a second person, bank file.

use super::*;

pub(super) struct RunsDesk {
    pub(super) waiting: Vec<db::payment_runs::Waiting>,
    pub(super) runs: Vec<db::payment_runs::Run>,
}

pub(super) async fn runs_desk() -> Result<RunsDesk, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(RunsDesk {
        waiting: db::payment_runs::waiting(&st.db, &actor).await?,
        runs: db::payment_runs::list(&st.db, &actor).await?,
    })
}

#[component]
pub fn RunsPage() -> impl IntoView {
    view! {
        <h1>{t(Msg::PaymentRunsNav)}</h1>
        <Outcome/>
        <p class="muted">{t_year(ClaimMsg::RunsHelp)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move { loaded(runs_desk().await, |d| view! { <RunsBody d=d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn RunsBody(d: RunsDesk) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="waiting">
            <h2 id="waiting">{t(ClaimMsg::WaitingClaims)}</h2>
            {d.waiting.is_empty().then(|| view! { <p>{t(ClaimMsg::NothingWaiting)}</p> })}
            <ul class="links">
                {d.waiting.into_iter().map(|w| view! {
                    <li data-window=format!("{}:{}", w.kind, w.window_start)>
                        {claim_code_text(&format!("run_{}", w.kind))} " · " {w.window_start.to_string()} " · "
                        {with_n(t(ClaimMsg::NClaims), w.claims)} " · " {yuan(w.total_fen)}
                        <form method="post" action="/runs/prepare" class="inline">
                            <input type="hidden" name="kind" value=w.kind.clone()/>
                            <input type="hidden" name="window_start" value=w.window_start.to_string()/>
                            <button type="submit">{t(ClaimMsg::PrepareRun)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="runs">
            <h2 id="runs">{t(ClaimMsg::Runs)}</h2>
            <table class="list">
                <thead><tr><th>{t(ClaimMsg::Run)}</th><th>{t(ClaimMsg::Kind)}</th><th>{t(ClaimMsg::Window)}</th>
                    <th class="num">{t(ClaimMsg::Claims)}</th><th class="num">{t(ClaimMsg::Total)}</th><th>{t(Msg::Status)}</th></tr></thead>
                <tbody>
                    {d.runs.into_iter().map(|r| view! {
                        <tr data-run=r.number.clone()>
                            <td><a href=format!("/runs/{}", r.number) rel="external">{r.number.clone()}</a></td>
                            <td>{claim_code_text(&format!("run_{}", r.kind))}</td>
                            <td>{r.window_start.to_string()} " — " {r.window_end.to_string()}</td>
                            <td class="num">{r.claims}</td><td class="num">{yuan(r.total_fen)}</td>
                            <td>{t(if r.released_at.is_some() { ClaimMsg::Released } else { ClaimMsg::Prepared })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

pub(super) struct RunPageData {
    pub(super) run: db::payment_runs::Run,
    pub(super) claims: Vec<db::claims::Claim>,
    pub(super) previous: Option<db::payment_runs::Run>,
    pub(super) me: i64,
}

pub(super) async fn run_page(number: String) -> Result<RunPageData, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let run = db::payment_runs::get(&st.db, &actor, &number).await?;
    Ok(RunPageData {
        claims: db::payment_runs::claims_of(&st.db, run.id).await?,
        previous: db::payment_runs::previous(&st.db, &run).await?,
        me: actor.user_id,
        run,
    })
}

#[component]
pub fn RunPage() -> impl IntoView {
    let number = use_params_map()
        .with(|p| p.get("number"))
        .unwrap_or_default();
    view! {
        <h1>{t(ClaimMsg::Run)} " " <span class="mono">{number.clone()}</span></h1>
        <Outcome/>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {Suspend::new(async move { loaded(run_page(number).await, |d| view! { <RunBody d=d/> }.into_any()) })}
        </Suspense>
    }
}

#[component]
fn RunBody(d: RunPageData) -> impl IntoView {
    let r = d.run;
    let change = d.previous.as_ref().map(|p| {
        let diff = r.total_fen - p.total_fen;
        let sign = if diff >= 0 { "+" } else { "−" };
        format!(
            "{} {} ({}): {} → {}, {sign}{} ({} → {})",
            t(ClaimMsg::AgainstLast),
            p.number,
            p.window_start,
            yuan(p.total_fen),
            yuan(r.total_fen),
            yuan(diff.abs()),
            p.claims,
            r.claims
        )
    });
    let released = r.released_at.is_some();
    let same_person = r.prepared_by == d.me;
    view! {
        <section class="card">
            <dl class="facts">
                <dt>{t(ClaimMsg::Kind)}</dt><dd>{claim_code_text(&format!("run_{}", r.kind))}</dd>
                <dt>{t(ClaimMsg::Window)}</dt><dd>{r.window_start.to_string()} " — " {r.window_end.to_string()}</dd>
                <dt>{t(ClaimMsg::Claims)}</dt><dd id="run-claims">{r.claims}</dd>
                <dt>{t(ClaimMsg::Total)}</dt><dd id="run-total">{yuan(r.total_fen)}</dd>
                <dt>{t(ClaimMsg::PreparedBy)}</dt><dd>{r.prepared_by_name.clone()} " · " {when(r.prepared_at)}</dd>
                {r.released_by_name.clone().map(|n| view! { <dt>{t(ClaimMsg::ReleasedBy)}</dt><dd id="released-by">{n} " · " {r.released_at.map(when)}</dd> })}
            </dl>
            <p>{change.unwrap_or_else(|| t(ClaimMsg::NoEarlierRun).to_string())}</p>
            {(!released).then(|| view! {
                <form method="post" action=format!("/runs/{}/release", r.number)>
                    {same_person.then(|| view! { <p class="muted">{t(ClaimMsg::SecondPersonReleases)}</p> })}
                    <button type="submit">{t(ClaimMsg::ReleaseRun)}</button>
                </form>
            })}
            {released.then(|| view! {
                <p><a class="button" href=format!("/runs/{}/bank.csv", r.number) rel="external" download>{t(ClaimMsg::BankFile)}</a></p>
            })}
        </section>
        <section class="card">
            <table class="list">
                <thead><tr><th>{t(ClaimMsg::Claim)}</th><th>{t(ClaimMsg::Member)}</th><th>{t(ClaimMsg::Kind)}</th>
                    <th>{t(ClaimMsg::AccountName)}</th><th class="num">{t(ClaimMsg::Payout)}</th><th>{t(Msg::Status)}</th></tr></thead>
                <tbody>
                    {d.claims.into_iter().map(|c| view! {
                        <tr data-claim=c.number.clone()>
                            <td><a href=format!("/claims/{}", c.number) rel="external">{c.number.clone()}</a></td>
                            <td>{c.person_name.clone()}</td><td>{claim_code_text(c.kind.code())}</td><td>{c.account_name.clone()}</td>
                            <td class="num">{yuan(c.payout_fen.unwrap_or(0))}</td><td>{claim_code_text(c.status.code())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
