//! Contributions as residents, agents and the agency see them: the payment
//! notice with its QR code, paying it (cash at the office or school, or
//! online through the provider), the receipt, the notice's public
//! verification, and the agent's desk of notices and declarations (E13).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::auth::hard_navigate;
use crate::components::ErrorNote;
use crate::error::AppError;
use crate::i18n::{t, t_args, with_n, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub number: String,
    pub notice_number: String,
    pub person_name: String,
    pub id_masked: String,
    pub policy_year: i32,
    pub amount: String,
    pub paid_at: String,
    pub channel: String,
    pub back_payment: bool,
    pub overpayment: bool,
    pub collected_by: Option<String>,
    /// When cover bought by this payment starts (M28), local time.
    pub cover_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub number: String,
    pub person_name: String,
    pub id_masked: String,
    pub policy_year: i32,
    pub amount: String,
    pub due_date: String,
    pub paid: bool,
    pub qr_svg: String,
    pub receipts: Vec<ReceiptView>,
    pub can_pay_online: bool,
    pub can_take_cash: bool,
    /// The one-time key of the cash form: a resubmitted form is one payment.
    pub request_key: String,
    /// Why the notice cannot be paid now (an error code), if so.
    pub blocked: Option<String>,
}

#[cfg(feature = "ssr")]
fn receipt_view(p: db::payments::Payment) -> ReceiptView {
    let cover_from = p.cover_from_ms().map(db::local_minute);
    ReceiptView {
        number: p.receipt_number,
        notice_number: p.notice_number,
        person_name: p.person_name,
        id_masked: db::households::masked_id(&p.id_number),
        policy_year: p.policy_year,
        amount: policy::Money::from_fen(p.amount_fen).to_string(),
        paid_at: db::local_minute(p.paid_at),
        channel: p.channel.code().into(),
        back_payment: p.back_payment,
        overpayment: !p.premium,
        collected_by: p.collected_by,
        cover_from,
    }
}

/// The QR code of a link, as inline SVG, drawn on the server.
#[cfg(feature = "ssr")]
pub fn qr_svg(link: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => {
            let image = code
                .render::<svg::Color>()
                .min_dimensions(168, 168)
                .quiet_zone(true)
                .build();
            // Inline in HTML: drop the XML declaration.
            image
                .find("<svg")
                .map(|i| image[i..].to_string())
                .unwrap_or(image)
        }
        Err(_) => String::new(),
    }
}

#[server(endpoint = "notice/view")]
pub async fn load_notice(number: String) -> Result<NoticeView, AppError> {
    use db::scope::Role;
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let n = db::notices::get(&st.db, &actor, &number).await?;
    let receipts = db::payments::for_person(&st.db, &actor, n.person_id)
        .await?
        .into_iter()
        .filter(|p| p.notice_number == n.number)
        .map(receipt_view)
        .collect();
    let paid = n.status == db::notices::NoticeStatus::Paid;
    let blocked = match db::payments::check_payable(&st.db, &st.rules(), &n, db::now_ms()).await {
        Ok(()) => None,
        Err(e) => Some(e.code().to_string()),
    };
    let payable = blocked.is_none() && n.amount_fen > 0;
    Ok(NoticeView {
        qr_svg: qr_svg(&crate::ssr::public_link(
            &st,
            &format!("/verify/{}/{}", n.number, n.verify_code),
        )),
        number: n.number,
        person_name: n.person_name,
        id_masked: n.id_masked,
        policy_year: n.policy_year,
        amount: policy::Money::from_fen(n.amount_fen).to_string(),
        due_date: n.due_date,
        paid,
        receipts,
        can_pay_online: payable && actor.role == Role::Resident,
        can_take_cash: payable && matches!(actor.role, Role::OfficeAgent | Role::SchoolAgent),
        request_key: db::payments::new_request_key(),
        blocked: if paid { None } else { blocked },
    })
}

/// The resident opens an order with the provider and is sent to pay it.
#[server(endpoint = "notice/pay-online")]
pub async fn pay_online(number: String) -> Result<String, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    if !st.payment_simulator {
        // No real provider is wired in yet: only the demo's simulator.
        return Err(db::Error::from(db::error::PaymentError::OnlineUnavailable).into());
    }
    let order = db::payments::create_order(
        &st.db,
        &st.rules(),
        &actor,
        &number,
        st.payment_provider.as_ref(),
        db::now_ms(),
    )
    .await?;
    // Without the WebAssembly the form posts here and the browser follows
    // this; with it, the page's effect navigates.
    leptos_axum::redirect(&format!("/pay/simulator/{}", order.order_number));
    Ok(order.order_number)
}

/// An agent takes the notice's amount in cash; answers the receipt number.
#[server(endpoint = "notice/take-cash")]
pub async fn take_cash(number: String, request_key: String) -> Result<String, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let recorded = db::payments::record_cash(
        &st.db,
        &st.rules(),
        &actor,
        &number,
        &request_key,
        db::now_ms(),
    )
    .await?;
    leptos_axum::redirect(&format!("/receipt/{}", recorded.payment().receipt_number));
    Ok(recorded.payment().receipt_number.clone())
}

#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let online = ServerAction::<PayOnline>::new();
    let cash = ServerAction::<TakeCash>::new();
    Effect::new(move |_| {
        if let Some(Ok(order)) = online.value().get() {
            hard_navigate(&format!("/pay/simulator/{order}"));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(receipt)) = cash.value().get() {
            hard_navigate(&format!("/receipt/{receipt}"));
        }
    });
    let notice = Resource::new(number, load_notice);
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match notice.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(n) => view! { <NoticeSheet n=n online=online cash=cash/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoticeSheet(
    n: NoticeView,
    online: ServerAction<PayOnline>,
    cash: ServerAction<TakeCash>,
) -> impl IntoView {
    let number = n.number.clone();
    view! {
        <article class="card sheet notice" aria-labelledby="notice-h">
            <h1 id="notice-h">{t(Msg::NoticeTitle)}</h1>
            <div class="sheet-body">
                <dl class="facts">
                    <dt>{t(Msg::NoticeNumber)}</dt><dd class="mono" data-testid="notice-number">{n.number.clone()}</dd>
                    <dt>{t(Msg::Name)}</dt><dd>{n.person_name.clone()}</dd>
                    <dt>{t(Msg::IdNumber)}</dt><dd class="mono">{n.id_masked.clone()}</dd>
                    <dt>{t(Msg::PolicyYear)}</dt><dd>{n.policy_year}</dd>
                    <dt>{t(Msg::AmountDue)}</dt><dd class="amount">{crate::i18n::yuan_text(&n.amount)}</dd>
                    <dt>{t(Msg::DueDate)}</dt><dd>{n.due_date.clone()}</dd>
                    <dt>{t(Msg::NoticeStatus)}</dt>
                    <dd data-testid="notice-status" class=if n.paid { "ok" } else { "" }>{if n.paid { t(Msg::Paid) } else { t(Msg::Unpaid) }}</dd>
                </dl>
                <figure class="qr">
                    <div inner_html=n.qr_svg.clone()></div>
                    <figcaption>{t(Msg::ScanToVerify)}</figcaption>
                </figure>
            </div>
            <p class="notice-what" data-testid="qr-what-for">{t(Msg::QrWhatFor)}</p>
            {n.receipts.iter().map(|r| view! { <ReceiptSummary r=r.clone()/> }).collect_view()}
            {n.blocked.clone().map(|code| view! { <ErrorNote error=AppError::bad_input(code)/> })}
            // A <div>: a <form> inside a <p> closes the <p> in the browser,
            // and hydration then finds a different tree than the server sent.
            <div class="actions">
                // Forms, not buttons with handlers: a tap before the
                // WebAssembly has arrived posts and the server redirects.
                {n.can_pay_online.then(|| view! {
                    <ActionForm action=online>
                        <input type="hidden" name="number" value=n.number.clone()/>
                        <button type="submit">{t(Msg::PayOnline)}</button>
                    </ActionForm>
                })}
                {n.can_take_cash.then(|| view! {
                    <ActionForm action=cash>
                        <input type="hidden" name="number" value=number.clone()/>
                        <input type="hidden" name="request_key" value=n.request_key.clone()/>
                        <button type="submit">{t(Msg::TakeCash)}</button>
                    </ActionForm>
                })}
                <button type="button" class="secondary" onclick="window.print()">{t(Msg::PrintPage)}</button>
            </div>
            {move || online.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
            {move || cash.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
        </article>
    }
}

fn channel_label(code: &str) -> &'static str {
    t(match code {
        "office_cash" => Msg::ChOfficeCash,
        "school_cash" => Msg::ChSchoolCash,
        _ => Msg::ChOnline,
    })
}

#[component]
fn ReceiptSummary(r: ReceiptView) -> impl IntoView {
    view! {
        <div class="receipt-line">
            <p>
                <a href=format!("/receipt/{}", r.number) rel="external">{t(Msg::ReceiptNumber)} " " {r.number.clone()}</a>
                " · " {crate::i18n::yuan_text(&r.amount.clone())} " · " {r.paid_at.clone()} " · " {channel_label(&r.channel)}
            </p>
            {r.cover_from.clone().map(|c| view! { <p class="ok" data-testid="covered-since">{with_n(t(Msg::CoveredSince), c)}</p> })}
            {r.back_payment.then(|| view! { <p class="warn">{t(Msg::BackPaymentMark)}</p> })}
            {r.overpayment.then(|| view! { <p class="warn">{t(Msg::OverpaymentMark)}</p> })}
        </div>
    }
}

#[cfg(feature = "ssr")]
#[server(endpoint = "receipt/view")]
pub async fn receipt_data(number: String) -> Result<ReceiptView, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    Ok(receipt_view(
        db::payments::by_receipt(&st.db, &actor, &number).await?,
    ))
}

#[cfg(feature = "ssr")]
/// The receipt (收据), printable on A4 or a receipt printer.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let receipt = Resource::new(
        move || params.read().get("number").unwrap_or_default(),
        receipt_data,
    );
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match receipt.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(r) => view! {
                        <article class="card sheet receipt" aria-labelledby="receipt-h">
                            <h1 id="receipt-h">{t(Msg::ReceiptTitle)}</h1>
                            <dl class="facts">
                                <dt>{t(Msg::ReceiptNumber)}</dt><dd class="mono" data-testid="receipt-number">{r.number.clone()}</dd>
                                <dt>{t(Msg::NoticeNumber)}</dt><dd class="mono"><a href=format!("/notice/{}", r.notice_number) rel="external">{r.notice_number.clone()}</a></dd>
                                <dt>{t(Msg::Name)}</dt><dd>{r.person_name.clone()}</dd>
                                <dt>{t(Msg::IdNumber)}</dt><dd class="mono">{r.id_masked.clone()}</dd>
                                <dt>{t(Msg::PolicyYear)}</dt><dd>{r.policy_year}</dd>
                                <dt>{t(Msg::Amount)}</dt><dd class="amount">{crate::i18n::yuan_text(&r.amount.clone())}</dd>
                                <dt>{t(Msg::PaidAt)}</dt><dd>{r.paid_at.clone()}</dd>
                                <dt>{t(Msg::Channel)}</dt><dd>{channel_label(&r.channel)}</dd>
                                {r.collected_by.clone().map(|c| view! { <dt>{t(Msg::CollectedBy)}</dt><dd>{c}</dd> })}
                            </dl>
                            {r.cover_from.clone().map(|c| view! { <p class="ok" data-testid="covered-since">{with_n(t(Msg::CoveredSince), c)}</p> })}
                            {r.back_payment.then(|| view! { <p class="warn">{t(Msg::BackPaymentMark)}</p> })}
                            {r.overpayment.then(|| view! { <p class="warn">{t(Msg::OverpaymentMark)}</p> })}
                            <p class="actions"><button type="button" class="secondary" onclick="window.print()">{t(Msg::PrintPage)}</button></p>
                        </article>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub order_number: String,
    pub notice_number: String,
    pub amount: String,
    pub status: String,
}

#[server(endpoint = "simulator/order")]
pub async fn simulator_order(order: String) -> Result<OrderView, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    if !st.payment_simulator {
        return Err(AppError::NotFound);
    }
    let o = db::payments::order_status(&st.db, &actor, &order).await?;
    Ok(OrderView {
        order_number: o.order_number,
        notice_number: o.notice_number,
        amount: policy::Money::from_fen(o.amount_fen).to_string(),
        status: o.status,
    })
}

/// The simulator takes the money, then notifies the portal the way a real
/// provider does: a signed message delivered on its own, retried until the
/// portal acknowledges it. The page waits a moment for it to land.
#[server(endpoint = "simulator/confirm")]
pub async fn simulator_confirm(order: String) -> Result<String, AppError> {
    use db::provider::PaymentProvider;
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    if !st.payment_simulator {
        return Err(AppError::NotFound);
    }
    let o = db::payments::order_status(&st.db, &actor, &order).await?;
    if o.provider != st.payment_provider.code() {
        return Err(AppError::NotFound);
    }
    let (body, signature) = st
        .payment_provider
        .pay(&st.db, &order, db::now_ms())
        .await?;
    let delivery = {
        let st = st.clone();
        tokio::spawn(async move {
            for attempt in 0..5u64 {
                let rules = st.rules();
                match db::payments::on_notification(
                    &st.db,
                    &rules,
                    st.payment_provider.as_ref(),
                    &body,
                    &signature,
                )
                .await
                {
                    Ok(_) => return,
                    Err(e) => {
                        tracing::warn!(error = %e, attempt, "simulator notification not acknowledged");
                        tokio::time::sleep(std::time::Duration::from_millis(200 * (attempt + 1)))
                            .await;
                    }
                }
            }
        })
    };
    // The page shows the result if the notification lands quickly; it is
    // recorded anyway when it lands later.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(3), delivery).await;
    // Posted as a plain form (the page has no WebAssembly): on to the notice.
    crate::ssr::redirect_if_plain_form(&format!("/notice/{}", o.notice_number));
    Ok(o.notice_number)
}

#[component]
pub fn SimulatorPage() -> impl IntoView {
    let params = use_params_map();
    let confirm = ServerAction::<SimulatorConfirm>::new();
    Effect::new(move |_| {
        if let Some(Ok(notice)) = confirm.value().get() {
            hard_navigate(&format!("/notice/{notice}"));
        }
    });
    let order = Resource::new(
        move || params.read().get("order").unwrap_or_default(),
        simulator_order,
    );
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(o) => view! {
                        <article class="card simulator" aria-labelledby="sim-h">
                            <h1 id="sim-h">{t(Msg::SimTitle)}</h1>
                            <p class="warn" role="note">{t(Msg::SimWarning)}</p>
                            <dl class="facts">
                                <dt>{t(Msg::OrderNumber)}</dt><dd class="mono">{o.order_number.clone()}</dd>
                                <dt>{t(Msg::NoticeNumber)}</dt><dd class="mono">{o.notice_number.clone()}</dd>
                                <dt>{t(Msg::Amount)}</dt><dd class="amount">{crate::i18n::yuan_text(&o.amount.clone())}</dd>
                            </dl>
                            <ActionForm action=confirm>
                                <input type="hidden" name="order" value=o.order_number.clone()/>
                                <button type="submit">{t(Msg::SimConfirm)}</button>
                            </ActionForm>
                            {move || confirm.pending().get().then(|| view! { <p>{t(Msg::WaitingForProvider)}</p> })}
                            {move || confirm.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
                        </article>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyView {
    pub number: String,
    pub name_masked: String,
    pub id_masked: String,
    pub policy_year: i32,
    pub amount: String,
    pub due_date: String,
    pub paid: bool,
}

/// Open to anyone holding the printed notice: the QR code's link.
#[cfg(feature = "ssr")]
#[server(endpoint = "notice/verify")]
pub async fn verify_notice(number: String, code: String) -> Result<VerifyView, AppError> {
    let st = crate::ssr::state()?;
    let v = db::notices::verify(&st.db, &number, &code).await?;
    Ok(VerifyView {
        number: v.number,
        name_masked: v.name_masked,
        id_masked: v.id_masked,
        policy_year: v.policy_year,
        amount: policy::Money::from_fen(v.amount_fen).to_string(),
        due_date: v.due_date,
        paid: v.paid,
    })
}

#[cfg(feature = "ssr")]
#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let v = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("number").unwrap_or_default(),
                p.get("code").unwrap_or_default(),
            )
        },
        |(number, code)| verify_notice(number, code),
    );
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match v.await {
                    // A forged or mistyped code: what to do, not only "not found".
                    Err(e) => view! {
                        <article class="card" aria-labelledby="verify-h">
                            <h1 id="verify-h">{t(Msg::VerifyTitle)}</h1>
                            <ErrorNote error=e/>
                            <p data-testid="verify-help">{t(Msg::VerifyNotFoundHelp)}</p>
                            <p class="muted">{t(Msg::VerifyOfficeHint)}</p>
                        </article>
                    }.into_any(),
                    Ok(v) => view! {
                        <article class="card" aria-labelledby="verify-h">
                            <h1 id="verify-h">{t(Msg::VerifyTitle)}</h1>
                            <p class="ok">{t(Msg::VerifyGenuine)}</p>
                            <dl class="facts">
                                <dt>{t(Msg::NoticeNumber)}</dt><dd class="mono">{v.number.clone()}</dd>
                                <dt>{t(Msg::Name)}</dt><dd>{v.name_masked.clone()}</dd>
                                <dt>{t(Msg::IdNumber)}</dt><dd class="mono">{v.id_masked.clone()}</dd>
                                <dt>{t(Msg::PolicyYear)}</dt><dd>{v.policy_year}</dd>
                                <dt>{t(Msg::AmountDue)}</dt><dd>{crate::i18n::yuan_text(&v.amount)}</dd>
                                <dt>{t(Msg::DueDate)}</dt><dd>{v.due_date.clone()}</dd>
                                <dt>{t(Msg::NoticeStatus)}</dt><dd>{if v.paid { t(Msg::Paid) } else { t(Msg::Unpaid) }}</dd>
                            </dl>
                        </article>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLine {
    pub number: String,
    pub person_name: String,
    pub policy_year: i32,
    pub amount: String,
    pub due_date: String,
    pub paid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndeclaredLine {
    pub receipt: ReceiptView,
    pub deadline: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationLine {
    pub number: String,
    pub payments: i64,
    pub total: String,
    pub declared_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsDeskView {
    /// The notices found by the search box, or the newest few.
    pub notices: Vec<NoticeLine>,
    pub query: String,
    pub undeclared: Vec<UndeclaredLine>,
    pub declarations: Vec<DeclarationLine>,
    /// E13: working days to declare cash premiums.
    pub declare_days: u32,
    /// What the declare button will declare, shown on it and sent back with
    /// it: the server refuses if it is no longer so.
    pub undeclared_total_fen: i64,
}

/// The notices of the search box: a notice number, or the notices of the
/// persons an identity number (whole or its last 6) or a name finds; without
/// a search, those of the newest few approved enrolments.
#[cfg(feature = "ssr")]
async fn desk_notices(
    st: &crate::ssr::AppState,
    actor: &db::Actor,
    query: &str,
) -> Result<Vec<db::notices::Notice>, AppError> {
    let rules = st.rules();
    let query = db::household_open::halfwidth(query);
    if query.is_empty() {
        let filter = db::enrolment::Filter {
            status: Some(db::enrolment::Status::Approved),
            registrar_org: actor.org_code.clone(),
            limit: Some(10),
            ..Default::default()
        };
        let mut out = Vec::new();
        for e in db::enrolment::list_for_actor(&st.db, actor, &filter).await? {
            out.push(db::notices::for_enrolment(&st.db, &rules, actor, e.id).await?);
        }
        return Ok(out);
    }
    let number = query.to_uppercase();
    if number.contains("-TZ-") {
        return match db::notices::get(&st.db, actor, &number).await {
            Ok(n) => Ok(vec![n]),
            Err(db::Error::NotFound | db::Error::Forbidden) => Ok(vec![]),
            Err(e) => Err(e.into()),
        };
    }
    let mut out = Vec::new();
    for p in db::people::search(&st.db, actor, &query)
        .await?
        .into_iter()
        .take(10)
    {
        out.extend(db::notices::for_person(&st.db, actor, p.id).await?);
    }
    Ok(out)
}

#[server(endpoint = "payments/desk")]
pub async fn payments_desk(q: Option<String>) -> Result<PaymentsDeskView, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let rules = st.rules();
    let today = db::local_date(db::now_ms());
    let undeclared = db::declarations::undeclared(&st.db, &rules, &actor, today).await?;
    let undeclared_total_fen = undeclared.iter().map(|u| u.payment.amount_fen).sum();
    let undeclared = undeclared
        .into_iter()
        .map(|u| UndeclaredLine {
            receipt: receipt_view(u.payment),
            deadline: u.deadline.map(|d| d.to_string()),
            overdue: u.overdue,
        })
        .collect();
    let query = q.unwrap_or_default();
    let mut notices = Vec::new();
    for n in desk_notices(&st, &actor, &query).await? {
        notices.push(NoticeLine {
            paid: n.status == db::notices::NoticeStatus::Paid,
            number: n.number,
            person_name: n.person_name,
            policy_year: n.policy_year,
            amount: policy::Money::from_fen(n.amount_fen).to_string(),
            due_date: n.due_date,
        });
    }
    let declarations = db::declarations::list(&st.db, &actor, 20)
        .await?
        .into_iter()
        .map(|d| DeclarationLine {
            number: d.number,
            payments: d.payments,
            total: policy::Money::from_fen(d.total_fen).to_string(),
            declared_at: db::local_minute(d.declared_at),
        })
        .collect();
    let declare_days = rules
        .year(chrono::Datelike::year(&today))
        .ok()
        .or_else(|| rules.latest())
        .map_or(0, |p| p.deadlines.declare_premiums_working_days);
    Ok(PaymentsDeskView {
        query,
        declare_days,
        undeclared_total_fen,
        notices,
        undeclared,
        declarations,
    })
}

#[server(endpoint = "payments/declare")]
pub async fn declare_premiums(payments: i64, total_fen: i64) -> Result<String, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let seen = db::declarations::Seen {
        payments,
        total_fen,
    };
    Ok(
        db::declarations::declare(&st.db, &actor, db::now_ms(), Some(seen))
            .await?
            .number,
    )
}

#[component]
pub fn PaymentsDeskPage() -> impl IntoView {
    let declare = ServerAction::<DeclarePremiums>::new();
    Effect::new(move |_| {
        if let Some(Ok(number)) = declare.value().get() {
            hard_navigate(&format!("/declaration/{number}"));
        }
    });
    let params = leptos_router::hooks::use_query_map();
    let desk = Resource::new(
        move || (declare.version().get(), params.with(|q| q.get("q"))),
        |(_, q)| payments_desk(q),
    );
    view! {
        <h1>{t(Msg::PaymentsDesk)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(d) => {
                        let (count, total_fen) = (d.undeclared.len() as i64, d.undeclared_total_fen);
                        view! {
                        <section class="card" aria-labelledby="undeclared-h">
                            <h2 id="undeclared-h">{t_args(Msg::UndeclaredPremiums, &[("declare_premiums_working_days", d.declare_days.to_string())])}</h2>
                            {if d.undeclared.is_empty() { Some(view! { <p>{t(Msg::NoRecords)}</p> }) } else { None }}
                            {let total = policy::Money::from_fen(total_fen).to_string();
                            (count > 0).then(|| view! {
                                <p id="declare-summary"><strong>{t_args(Msg::DeclareSummary, &[("count", count.to_string()), ("total", total.clone())])}</strong></p>
                            })}
                            <ul class="lines">
                                {d.undeclared.into_iter().map(|u| view! {
                                    <li class=if u.overdue { "overdue" } else { "" }>
                                        <a href=format!("/receipt/{}", u.receipt.number) rel="external">{u.receipt.number.clone()}</a>
                                        " · " {u.receipt.person_name.clone()} " · " {crate::i18n::yuan_text(&u.receipt.amount.clone())}
                                        " · " {t(Msg::DeclareBy)} " " {u.deadline.clone().unwrap_or_default()}
                                        {u.overdue.then(|| view! { " · " <strong>{t(Msg::OverdueMark)}</strong> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            {(count > 0).then(|| view! {
                                <ActionForm action=declare>
                                    <input type="hidden" name="payments" value=count.to_string()/>
                                    <input type="hidden" name="total_fen" value=total_fen.to_string()/>
                                    <button type="submit">{t(Msg::DeclareNow)}</button>
                                </ActionForm>
                            })}
                            {move || declare.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
                        </section>
                        <section class="card" aria-labelledby="notices-h">
                            <h2 id="notices-h">{t(Msg::NoticesOfOrg)}</h2>
                            <form method="get" action="/payments" class="find" role="search">
                                <label for="notice-q">{t(Msg::FindNotice)}</label>
                                <input id="notice-q" name="q" type="search" value=d.query.clone() maxlength="40" autocomplete="off"
                                    aria-describedby="notice-help"/>
                                <button type="submit">{t(Msg::SearchGo)}</button>
                                <p id="notice-help" class="muted">{t(Msg::FindNoticeHelp)}</p>
                            </form>
                            {if d.notices.is_empty() { Some(view! { <p>{t(Msg::NoRecords)}</p> }) } else { None }}
                            <ul class="lines">
                                {d.notices.into_iter().map(|n| view! {
                                    <li>
                                        <a href=format!("/notice/{}", n.number) rel="external">{n.number.clone()}</a>
                                        " · " {n.person_name.clone()} " · " {n.policy_year} " · " {crate::i18n::yuan_text(&n.amount.clone())}
                                        " · " {t(Msg::DueDate)} " " {n.due_date.clone()} " · "
                                        {if n.paid { t(Msg::Paid) } else { t(Msg::Unpaid) }}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section class="card" aria-labelledby="declarations-h">
                            <h2 id="declarations-h">{t(Msg::Declarations)}</h2>
                            {if d.declarations.is_empty() { Some(view! { <p>{t(Msg::NoRecords)}</p> }) } else { None }}
                            <ul class="lines">
                                {d.declarations.into_iter().map(|x| view! {
                                    <li><a href=format!("/declaration/{}", x.number) rel="external">{x.number.clone()}</a>
                                        " · " {x.payments} " · " {crate::i18n::yuan_text(&x.total.clone())} " · " {x.declared_at.clone()}</li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any()},
                }
            })}
        </Suspense>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationView {
    pub number: String,
    pub org_name: String,
    pub declared_by: String,
    pub declared_at: String,
    pub payments: i64,
    pub total: String,
    pub lines: Vec<ReceiptView>,
}

#[cfg(feature = "ssr")]
#[server(endpoint = "declaration/view")]
pub async fn declaration_data(number: String) -> Result<DeclarationView, AppError> {
    let actor = crate::ssr::actor().await?;
    let st = crate::ssr::state()?;
    let d = db::declarations::get(&st.db, &actor, &number).await?;
    let lines = db::declarations::lines(&st.db, &actor, &number)
        .await?
        .into_iter()
        .map(receipt_view)
        .collect();
    Ok(DeclarationView {
        number: d.number,
        org_name: d.org_name,
        declared_by: d.declared_by,
        declared_at: db::local_minute(d.declared_at),
        payments: d.payments,
        total: policy::Money::from_fen(d.total_fen).to_string(),
        lines,
    })
}

#[cfg(feature = "ssr")]
/// The declaration (核定表), printable, with signature lines.
#[component]
pub fn DeclarationPage() -> impl IntoView {
    let params = use_params_map();
    let d = Resource::new(
        move || params.read().get("number").unwrap_or_default(),
        declaration_data,
    );
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match d.await {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(d) => view! {
                        <article class="card sheet" aria-labelledby="decl-h">
                            <h1 id="decl-h">{t(Msg::DeclarationTitle)}</h1>
                            <dl class="facts">
                                <dt>{t(Msg::DeclarationNumber)}</dt><dd class="mono" data-testid="declaration-number">{d.number.clone()}</dd>
                                <dt>{t(Msg::Organisation)}</dt><dd>{d.org_name.clone()}</dd>
                                <dt>{t(Msg::DeclaredBy)}</dt><dd>{d.declared_by.clone()}</dd>
                                <dt>{t(Msg::DeclaredAt)}</dt><dd>{d.declared_at.clone()}</dd>
                                <dt>{t(Msg::PaymentCount)}</dt><dd>{d.payments}</dd>
                                <dt>{t(Msg::TotalAmount)}</dt><dd class="amount">{crate::i18n::yuan_text(&d.total.clone())}</dd>
                            </dl>
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">{t(Msg::ReceiptNumber)}</th><th scope="col">{t(Msg::Name)}</th>
                                    <th scope="col">{t(Msg::PolicyYear)}</th><th scope="col">{t(Msg::Amount)}</th><th scope="col">{t(Msg::PaidAt)}</th>
                                </tr></thead>
                                <tbody>
                                    {d.lines.into_iter().map(|r| view! {
                                        <tr><td class="mono">{r.number}</td><td>{r.person_name}</td><td>{r.policy_year}</td><td>{r.amount}</td><td>{r.paid_at}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <p class="signatures">{t(Msg::SignatureLine)}</p>
                            <p class="actions"><button type="button" class="secondary" onclick="window.print()">{t(Msg::PrintPage)}</button></p>
                        </article>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
