//! Insurance cards (E13, E19): the agent takes card fees and sends the card
//! list within 2 working days; the agency's information centre makes the
//! cards within 7 working days. Late items are shown in red.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::ErrorNote;
use crate::error::AppError;
use crate::i18n::{t, t_args, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLine {
    pub name: String,
    pub id_masked: String,
    pub fee_taken_on: String,
    pub deadline: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListLine {
    pub number: String,
    pub org_name: String,
    pub sent_on: String,
    pub cards: i64,
    pub made: bool,
    pub deadline: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardsView {
    pub agency: bool,
    pub without_card: Vec<(i64, String, String)>,
    pub pending: Vec<PendingLine>,
    pub lists: Vec<ListLine>,
    /// E13, E19: working days to send a card list, and to make the cards.
    pub list_days: u32,
    pub making_days: u32,
}

#[server(endpoint = "cards/desk")]
pub async fn cards_desk() -> Result<CardsView, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let rules = st.rules();
    let today = db::local_date(db::now_ms());
    let agency = actor.role.is_agency();
    let (without_card, pending) = if agency {
        (vec![], vec![])
    } else {
        (
            db::cards::without_card(&st.db, &actor, 100).await?,
            db::cards::pending(&st.db, &rules, &actor, today)
                .await?
                .into_iter()
                .map(|p| PendingLine {
                    name: p.person_name,
                    id_masked: p.id_masked,
                    fee_taken_on: p.fee_taken_on,
                    deadline: p.deadline.map(|d| d.to_string()).unwrap_or_default(),
                    overdue: p.overdue,
                })
                .collect(),
        )
    };
    let lists = db::cards::lists(&st.db, &rules, &actor, today)
        .await?
        .into_iter()
        .map(|l| ListLine {
            number: l.number,
            org_name: l.org_name,
            sent_on: l.sent_on,
            cards: l.cards,
            made: l.made_at.is_some(),
            deadline: l.deadline.map(|d| d.to_string()).unwrap_or_default(),
            overdue: l.overdue,
        })
        .collect();
    let deadlines = rules
        .year(chrono::Datelike::year(&today))
        .ok()
        .or_else(|| rules.latest())
        .map(|p| p.deadlines.clone());
    Ok(CardsView {
        list_days: deadlines.as_ref().map_or(0, |d| d.card_list_working_days),
        making_days: deadlines.as_ref().map_or(0, |d| d.card_making_working_days),
        agency,
        without_card,
        pending,
        lists,
    })
}

#[server(endpoint = "cards/fee")]
pub async fn take_card_fee(person_id: i64) -> Result<(), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(db::cards::take_fee(&st.db, &actor, person_id, db::now_ms()).await?)
}

#[server(endpoint = "cards/send")]
pub async fn send_card_list() -> Result<String, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(db::cards::send_list(&st.db, &actor, db::now_ms()).await?)
}

#[server(endpoint = "cards/made")]
pub async fn cards_made(number: String) -> Result<(), AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(db::cards::mark_made(&st.db, &actor, &number, db::now_ms()).await?)
}

#[component]
pub fn CardsPage() -> impl IntoView {
    let fee = ServerAction::<TakeCardFee>::new();
    let send = ServerAction::<SendCardList>::new();
    let made = ServerAction::<CardsMade>::new();
    let desk = Resource::new(
        move || {
            (
                fee.version().get(),
                send.version().get(),
                made.version().get(),
            )
        },
        |_| cards_desk(),
    );
    view! {
        <h1>{t(Msg::CardsTitle)}</h1>
        {move || fee.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
        {move || send.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
        {move || made.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(d) => view! {
                        {(!d.agency).then(|| view! {
                            <section class="card" aria-labelledby="pending-h">
                                <h2 id="pending-h">{t_args(Msg::CardsPending, &[("card_list_working_days", d.list_days.to_string())])}</h2>
                                {d.pending.is_empty().then(|| view! { <p>{t(Msg::NoRecords)}</p> })}
                                <ul class="lines" data-testid="cards-pending">
                                    {d.pending.iter().map(|p| view! {
                                        <li class=if p.overdue { "overdue" } else { "" }>
                                            {p.name.clone()} " " <span class="mono">{p.id_masked.clone()}</span>
                                            " · " {p.fee_taken_on.clone()} " · " {t(Msg::CardListBy)} " " {p.deadline.clone()}
                                            {p.overdue.then(|| view! { " · " <strong>{t(Msg::OverdueMark)}</strong> })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <ActionForm action=send>
                                    <button type="submit">{t(Msg::SendCardList)}</button>
                                </ActionForm>
                            </section>
                            <section class="card" aria-labelledby="nocard-h">
                                <h2 id="nocard-h">{t(Msg::CardsToTake)}</h2>
                                {d.without_card.is_empty().then(|| view! { <p>{t(Msg::NoRecords)}</p> })}
                                <ul class="lines">
                                    {d.without_card.iter().map(|(id, name, masked)| {
                                        let id = *id;
                                        view! {
                                            <li>{name.clone()} " " <span class="mono">{masked.clone()}</span> " "
                                                <ActionForm action=fee attr:class="inline">
                                                    <input type="hidden" name="person_id" value=id.to_string()/>
                                                    <button type="submit" class="secondary">{t(Msg::TakeCardFee)}</button>
                                                </ActionForm>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                        <section class="card" aria-labelledby="lists-h">
                            <h2 id="lists-h">{t_args(Msg::CardLists, &[("card_making_working_days", d.making_days.to_string())])}</h2>
                            {d.lists.is_empty().then(|| view! { <p>{t(Msg::NoRecords)}</p> })}
                            <ul class="lines" data-testid="card-lists">
                                {d.lists.iter().map(|l| {
                                    let number = l.number.clone();
                                    let can_mark = d.agency && !l.made;
                                    view! {
                                        <li class=if l.overdue { "overdue" } else { "" }>
                                            <span class="mono">{l.number.clone()}</span> " · " {l.org_name.clone()} " · " {l.sent_on.clone()}
                                            " · " {l.cards} " · "
                                            {if l.made { t(Msg::CardsMade).to_string() } else { format!("{} {}", t(Msg::CardsMakeBy), l.deadline) }}
                                            {l.overdue.then(|| view! { " · " <strong>{t(Msg::OverdueMark)}</strong> })}
                                            {can_mark.then(|| view! {
                                                " " <ActionForm action=made attr:class="inline">
                                                    <input type="hidden" name="number" value=number.clone()/>
                                                    <button type="submit">{t(Msg::MarkCardsMade)}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
