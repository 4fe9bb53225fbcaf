//! The public page (no log-in): check an identity number, get an enrolment
//! quote with its explanation, and estimate what the fund pays on a bill.
//! Every figure comes from the policy engine on the server.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::{ErrorNote, PersonFactChecks};
use crate::error::AppError;
use crate::i18n::{code_text, t, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedStep {
    pub article: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteView {
    pub eligible: bool,
    pub age: u32,
    pub birth_date: String,
    pub sex: String,
    /// Codes of RULES-API.md: category and tier, or the refusal reason.
    pub category: Option<String>,
    pub tier: Option<String>,
    pub reason: Option<String>,
    pub personal: Option<String>,
    pub total: Option<String>,
    /// Central, region, league, county.
    pub subsidy: Vec<String>,
    pub registrar: Option<String>,
    pub evidence: Vec<String>,
    pub steps: Vec<ExplainedStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimateView {
    pub payout: String,
    pub deductible: Option<String>,
    pub ratio: Option<String>,
    pub reason: Option<String>,
    pub steps: Vec<ExplainedStep>,
}

#[cfg(feature = "ssr")]
pub(crate) fn steps(ex: &policy::Explanation) -> Vec<ExplainedStep> {
    ex.steps()
        .iter()
        .map(|s| ExplainedStep {
            article: s.article.clone(),
            zh: s.zh.clone(),
            en: s.en.clone(),
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn on(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.is_empty() && s != "false")
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "public/quote")]
pub async fn public_quote(
    id_number: String,
    policy_year: i32,
    in_school: Option<String>,
    employee_insured: Option<String>,
    flexible_employment: Option<String>,
    ncms_enrolled: Option<String>,
    migrant_worker_child: Option<String>,
    dibao: Option<String>,
    disability_grade: Option<String>,
    low_income_household: Option<String>,
    hukou_moved_in_year: Option<String>,
) -> Result<QuoteView, AppError> {
    use policy::eligibility::PersonFacts;
    let st = crate::ssr::state()?;
    let id = policy::idcard::check(&id_number).map_err(|e| AppError::from(db::Error::from(e)))?;
    let year_of = |v: &Option<String>| {
        v.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<i32>())
    };
    let facts = PersonFacts {
        id_number: id.number.clone(),
        birth_date: id.birth_date,
        sex: id.sex,
        in_school: on(&in_school),
        employee_insured: on(&employee_insured),
        flexible_employment: on(&flexible_employment),
        ncms_enrolled: on(&ncms_enrolled),
        migrant_worker_child: on(&migrant_worker_child),
        dibao: on(&dibao),
        disability_grade: disability_grade
            .as_deref()
            .and_then(|g| g.parse::<u8>().ok()),
        low_income_household: on(&low_income_household),
        hukou_moved_in_year: year_of(&hukou_moved_in_year)
            .transpose()
            .map_err(|_| AppError::bad_input("year"))?,
    };
    quote_view(&st.rules(), policy_year, &facts)
}

/// The policy engine's quote for a person, as pages show it.
#[cfg(feature = "ssr")]
pub fn quote_view(
    rules: &policy::params::Rules,
    policy_year: i32,
    facts: &policy::eligibility::PersonFacts,
) -> Result<QuoteView, AppError> {
    use policy::eligibility::{quote_on, Quote};
    let q = quote_on(rules, policy_year, facts, db::claims::today(), true)
        .map_err(|_| AppError::bad_input("policy_year"))?;
    let base = QuoteView {
        eligible: false,
        age: q.age(),
        birth_date: facts.birth_date.to_string(),
        sex: facts.sex.code().into(),
        category: None,
        tier: None,
        reason: None,
        personal: None,
        total: None,
        subsidy: vec![],
        registrar: None,
        evidence: vec![],
        steps: steps(q.explanation()),
    };
    Ok(match &q {
        Quote::Eligible {
            category,
            tier,
            registrar,
            total,
            personal,
            subsidy,
            evidence,
            ..
        } => QuoteView {
            eligible: true,
            category: Some(category.code().into()),
            tier: Some(tier.code().into()),
            personal: Some(personal.to_string()),
            total: Some(total.to_string()),
            subsidy: [
                subsidy.central,
                subsidy.region,
                subsidy.league,
                subsidy.county,
            ]
            .iter()
            .map(|m| m.to_string())
            .collect(),
            registrar: Some(registrar.code().into()),
            evidence: evidence.iter().map(|e| e.code().to_string()).collect(),
            ..base
        },
        Quote::Refused { reason, .. } => QuoteView {
            reason: Some(reason.code().into()),
            ..base
        },
    })
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "public/estimate")]
pub async fn public_estimate(
    policy_year: i32,
    kind: String,
    hospital_grade: u8,
    in_catalogue: String,
    admission_ordinal: u32,
    continuous_years: u32,
    minor_blood_disease: Option<String>,
    disease: Option<String>,
    paid_ytd_general: Option<String>,
) -> Result<EstimateView, AppError> {
    let st = crate::ssr::state()?;
    let bad = |what: &str| AppError::bad_input(what.to_string());
    let money = |s: &str| match policy::Money::from_yuan_str(s.trim()) {
        Ok(m) if m < policy::Money::zero() => Err(bad("amount_negative")),
        Ok(m) => Ok(m),
        Err(_) => Err(bad("amount")),
    };
    let facts = serde_json::json!({
        "kind": kind,
        "in_catalogue": money(&in_catalogue)?,
        "hospital_grade": hospital_grade,
        "admission_ordinal": admission_ordinal.max(1),
        "continuous_years": continuous_years,
        "minor_blood_disease": on(&minor_blood_disease),
        "cause": null,
        "transfer_approved": true,
        "filed_within_days": 0,
        "disease": disease.filter(|d| !d.is_empty()),
        "covered": true,
        "paid_ytd_general": money(paid_ytd_general.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or("0"))?,
        "paid_ytd_sublimit": "0.00",
        "paid_ytd_student_accident": "0.00",
    });
    let facts: policy::benefit::ClaimFacts =
        serde_json::from_value(facts).map_err(|_| bad("kind"))?;
    let rules = st.rules();
    let params = rules.year(policy_year).map_err(|_| bad("policy_year"))?;
    let d = policy::benefit::decide(params, &facts);
    Ok(EstimateView {
        payout: d.payout.to_string(),
        deductible: d.deductible.map(|m| m.to_string()),
        ratio: d.ratio.map(policy::benefit::ratio_text),
        reason: d.reason.map(|r| r.code().to_string()),
        steps: steps(&d.explanation),
    })
}

#[server(endpoint = "public/years")]
pub async fn policy_years() -> Result<Vec<i32>, AppError> {
    let st = crate::ssr::state()?;
    Ok(st.rules().years.keys().rev().copied().collect())
}

#[component]
pub(crate) fn Steps(steps: Vec<ExplainedStep>) -> impl IntoView {
    view! {
        <details class="why" open>
            <summary>{t(Msg::WhyThisAnswer)}</summary>
            <ol class="steps">
                {steps.into_iter().map(|s| {
                    crate::components::explained_step(s.article, &s.zh, &s.en)
                }).collect_view()}
            </ol>
        </details>
    }
}

#[component]
fn YearSelect(id: &'static str, years: Vec<i32>, chosen: Option<i32>) -> impl IntoView {
    // Two forms on the page each have a year: ids must differ for their labels.
    view! {
        <label for=id>{t(Msg::PolicyYear)}</label>
        <select id=id name="policy_year">
            {years.into_iter().map(|y| view! { <option value=y.to_string() selected=chosen == Some(y)>{y}</option> }).collect_view()}
        </select>
    }
}

/// What the page was asked: both forms post to the page itself, so a phone
/// without the WebAssembly (or JavaScript) gets its answer in the page the
/// server sends, with the form still filled.
#[derive(Clone, Default)]
struct Asked(std::collections::HashMap<String, String>);

impl Asked {
    fn text(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_default()
    }
    fn opt(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned().filter(|v| !v.is_empty())
    }
    fn or(&self, key: &str, default: &str) -> String {
        self.opt(key).unwrap_or_else(|| default.to_string())
    }
    fn number<T: std::str::FromStr>(&self, key: &str, default: T) -> Result<T, AppError> {
        match self.opt(key) {
            None => Ok(default),
            Some(v) => v.trim().parse().map_err(|_| AppError::bad_input(key)),
        }
    }
    fn ticked(&self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(_, v)| v.as_str() == "on")
            .map(|(k, _)| k.clone())
            .collect()
    }
}

async fn quote_asked(a: &Asked, latest: i32) -> Result<QuoteView, AppError> {
    public_quote(
        a.text("id_number"),
        a.number("policy_year", latest)?,
        a.opt("in_school"),
        a.opt("employee_insured"),
        a.opt("flexible_employment"),
        a.opt("ncms_enrolled"),
        a.opt("migrant_worker_child"),
        a.opt("dibao"),
        a.opt("disability_grade"),
        a.opt("low_income_household"),
        a.opt("hukou_moved_in_year"),
    )
    .await
}

async fn estimate_asked(a: &Asked, latest: i32) -> Result<EstimateView, AppError> {
    public_estimate(
        a.number("policy_year", latest)?,
        a.or("kind", "inpatient"),
        a.number("hospital_grade", 3u8)?,
        a.text("in_catalogue"),
        a.number("admission_ordinal", 1u32)?,
        a.number("continuous_years", 1u32)?,
        a.opt("minor_blood_disease"),
        a.opt("disease"),
        a.opt("paid_ytd_general"),
    )
    .await
}

#[component]
pub fn CheckPage() -> impl IntoView {
    // The question posted to the page (server/src/check.rs), if any.
    #[cfg(feature = "ssr")]
    let asked = use_context::<crate::kept::Posted>()
        .map(|p| Asked(p.values.into_iter().collect()))
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let asked = Asked::default();
    view! {
        <h1>{t(Msg::CheckTitle)}</h1>
        <p class="muted">{t(Msg::PublicIntro)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
        {let asked = asked.clone();
        Suspend::new(async move {
            let years = policy_years().await.unwrap_or_default();
            let latest = years.first().copied().unwrap_or_default();
            let form = asked.opt("form");
            let quote = match form.as_deref() {
                Some("quote") => Some(quote_asked(&asked, latest).await),
                _ => None,
            };
            let estimate = match form.as_deref() {
                Some("estimate") => Some(estimate_asked(&asked, latest).await),
                _ => None,
            };
            // A refused question is a 4xx, as a refused post is: the page
            // says why in the user's language and keeps what was typed.
            #[cfg(feature = "ssr")]
            {
                let refused = |r: Option<&AppError>| r.map(AppError::status);
                let quote_refused = refused(quote.as_ref().and_then(|r| r.as_ref().err()));
                let estimate_refused = refused(estimate.as_ref().and_then(|r| r.as_ref().err()));
                if let Some(status) = quote_refused.or(estimate_refused) {
                    crate::components::page_status(status);
                }
            }
            // Each form shows what was typed into it, the other its defaults.
            let blank = Asked::default();
            let (qa, ea) = match form.as_deref() {
                Some("quote") => (&asked, &blank),
                Some("estimate") => (&blank, &asked),
                _ => (&blank, &blank),
            };
            let year_of = |a: &Asked| a.number("policy_year", latest).ok();
            let grade = qa.opt("disability_grade").and_then(|g| g.parse::<u8>().ok());
            let hospital = ea.or("hospital_grade", "3");
            let kind = ea.or("kind", "inpatient");
            let disease = ea.text("disease");
            view! {
            <section class="card" aria-labelledby="quote-h">
                <h2 id="quote-h">{t(Msg::QuoteTitle)}</h2>
                <form method="post" action="/check#quote-answer" class="stack">
                    <input type="hidden" name="form" value="quote"/>
                    <label for="id_number">{t(Msg::IdNumber)}</label>
                    <input id="id_number" name="id_number" required maxlength="30" autocomplete="off" inputmode="text" autocapitalize="characters"
                        value=qa.text("id_number")/>
                    <YearSelect id="quote_year" years=years.clone() chosen=year_of(qa)/>
                    <PersonFactChecks with_in_school=true disability_id="disability_grade" ticked=qa.ticked() grade=grade/>
                    <label for="hukou_moved_in_year">{t(Msg::FactHukouMoved)}</label>
                    <input id="hukou_moved_in_year" name="hukou_moved_in_year" inputmode="numeric" maxlength="4"
                        value=qa.text("hukou_moved_in_year")/>
                    <button type="submit">{t(Msg::GetQuote)}</button>
                </form>
                <div id="quote-answer">
                {quote.map(|r| match r {
                    Ok(q) => view! { <QuoteResult q=q/> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                })}
                </div>
            </section>
            <section class="card" aria-labelledby="estimate-h">
                <h2 id="estimate-h">{t(Msg::EstimateTitle)}</h2>
                <form method="post" action="/check#estimate-answer" class="stack">
                    <input type="hidden" name="form" value="estimate"/>
                    <YearSelect id="estimate_year" years=years chosen=year_of(ea)/>
                    <label for="kind">{t(Msg::ClaimKind)}</label>
                    <select id="kind" name="kind">
                        {["inpatient", "transfer", "nondesignated_emergency", "outpatient_emergency", "special_outpatient", "student_accident"]
                            .into_iter().map(|v| view! { <option value=v selected=kind == v>{code_text(v)}</option> }).collect_view()}
                    </select>
                    <label for="hospital_grade">{t(Msg::HospitalGrade)}</label>
                    <select id="hospital_grade" name="hospital_grade">
                        {[("3", Msg::Grade3), ("2", Msg::Grade2), ("1", Msg::Grade1)]
                            .into_iter().map(|(v, m)| view! { <option value=v selected=hospital == v>{t(m)}</option> }).collect_view()}
                    </select>
                    <label for="in_catalogue">{t(Msg::InCatalogue)}</label>
                    <input id="in_catalogue" name="in_catalogue" required inputmode="decimal" value=ea.text("in_catalogue")/>
                    <label for="admission_ordinal">{t(Msg::AdmissionOrdinal)}</label>
                    <input id="admission_ordinal" name="admission_ordinal" value=ea.or("admission_ordinal", "1") inputmode="numeric"/>
                    <label for="continuous_years">{t(Msg::ContinuousYears)}</label>
                    <input id="continuous_years" name="continuous_years" value=ea.or("continuous_years", "1") inputmode="numeric"/>
                    <label for="disease">{t(Msg::SpecialDisease)}</label>
                    <select id="disease" name="disease">
                        <option value="">{t(Msg::NoneOption)}</option>
                        {["organ_transplant", "cancer_radio_chemo", "uraemia_dialysis", "tuberculosis", "psychosis", "diabetes_insulin"]
                            .into_iter().map(|v| view! { <option value=v selected=disease == v>{code_text(v)}</option> }).collect_view()}
                    </select>
                    <label class="check"><input type="checkbox" name="minor_blood_disease" value="on"
                        checked=ea.opt("minor_blood_disease").is_some()/> {t(Msg::FactMinorBlood)}</label>
                    <label for="paid_ytd_general">{t(Msg::PaidThisYear)}</label>
                    <input id="paid_ytd_general" name="paid_ytd_general" value=ea.or("paid_ytd_general", "0") inputmode="decimal"/>
                    <button type="submit">{t(Msg::Estimate)}</button>
                </form>
                <div id="estimate-answer">
                {estimate.map(|r| match r {
                    Ok(e) => view! { <EstimateResult e=e/> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                })}
                </div>
            </section>
            }
        })}
        </Suspense>
    }
}

#[component]
pub fn QuoteResult(q: QuoteView) -> impl IntoView {
    let verdict = match (&q.category, &q.tier, &q.reason) {
        (Some(c), Some(tier), _) => format!("{} · {}", code_text(c), code_text(tier)),
        (_, _, Some(r)) => code_text(r).to_string(),
        _ => String::new(),
    };
    let levels = [
        Msg::SubsidyCentral,
        Msg::SubsidyRegion,
        Msg::SubsidyLeague,
        Msg::SubsidyCounty,
    ];
    view! {
        <div class="result" role="status" aria-live="polite">
            <p class=if q.eligible { "verdict ok" } else { "verdict error" }>{verdict}</p>
            <dl class="facts">
                <dt>{t(Msg::BirthDate)}</dt><dd>{q.birth_date.clone()} " · " {code_text(&q.sex)}</dd>
                <dt>{t(Msg::AgeForYear)}</dt><dd>{q.age}</dd>
                {q.personal.clone().map(|p| view! { <dt>{t(Msg::PersonalShare)}</dt><dd class="amount">{crate::i18n::yuan_text(&p)}</dd> })}
                {q.total.clone().map(|p| view! { <dt>{t(Msg::TotalContribution)}</dt><dd>{crate::i18n::yuan_text(&p)}</dd> })}
                {q.subsidy.clone().into_iter().zip(levels).map(|(amount, level)| view! { <dt>{t(level)}</dt><dd>{amount}</dd> }).collect_view()}
                {q.registrar.clone().map(|r| view! { <dt>{t(Msg::RegisteredBy)}</dt><dd>{code_text(&r)}</dd> })}
                {(!q.evidence.is_empty()).then(|| {
                    let list = q.evidence.iter().map(|e| code_text(e)).collect::<Vec<_>>().join(" · ");
                    view! { <dt>{t(Msg::EvidenceNeeded)}</dt><dd>{list}</dd> }
                })}
            </dl>
            <Steps steps=q.steps/>
        </div>
    }
}

#[component]
fn EstimateResult(e: EstimateView) -> impl IntoView {
    view! {
        <div class="result" role="status" aria-live="polite">
            <p class="verdict">{t(Msg::FundPays)} " " <strong class="amount">{e.payout.clone()}</strong> " " {t(Msg::Yuan)}</p>
            <dl class="facts">
                {e.deductible.clone().map(|d| view! { <dt>{t(Msg::Deductible)}</dt><dd>{d}</dd> })}
                {e.ratio.clone().map(|r| view! { <dt>{t(Msg::Ratio)}</dt><dd>{r}</dd> })}
                {e.reason.clone().map(|r| view! { <dt>{t(Msg::NotPaidBecause)}</dt><dd class="error">{code_text(&r)}</dd> })}
            </dl>
            <Steps steps=e.steps/>
        </div>
    }
}
