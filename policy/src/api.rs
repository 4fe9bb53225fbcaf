//! The rules as a service: the JSON contract of RULES-API.md.
//!
//! Four operations (`id_check`, `enrollment_quote`, `payment_status`,
//! `benefit`) answer the same JSON over HTTP ([`answer_op`], body without
//! `"op"`), as JSON Lines for batches ([`answer_line`], each line with its
//! `"op"`), or as `serde_json::Value` ([`answer`]). Nothing here panics: a
//! request that cannot be answered gets `{"error": "<code>", "message": "..."}`.
//!
//! Responses carry the fields of the contract and add `explanation` (the
//! steps with their articles) unless the request says `"explain": false`.
//! A `benefit` request may name its `policy_year` (the year the care is
//! accounted to); without one, the latest year's parameters apply.
//!
//! Error codes: `bad_json` (not a JSON object), `missing_op`, `unknown_op`,
//! `bad_field` (a field missing, of the wrong type, unknown, or not used by
//! the operation), `unknown_year`, `bad_id_number` (with `reason`, the ID
//! check's code), `id_mismatch` (birth date or sex disagree with the ID).

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};

use crate::benefit::{self, CapKind, ClaimFacts, NoPayReason};
use crate::contribution::{self, PaidYear, StatusCode};
use crate::eligibility::{
    self, Category, Evidence, PersonFacts, Quote, RefusalReason, Registrar, Tier,
};
use crate::explain::Explanation;
use crate::idcard::{self, Sex};
use crate::money::Money;
use crate::params::{Rules, RulesError, Subsidy};

crate::coded! {
    /// The operations of the contract.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Op {
        IdCheck = "id_check",
        EnrollmentQuote = "enrollment_quote",
        PaymentStatus = "payment_status",
        Benefit = "benefit",
    }
}

/// A request that cannot be answered; over HTTP, a 400.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(rename = "error")]
    pub code: &'static str,
    pub message: String,
    /// For `bad_id_number`: the ID check's own code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

impl ApiError {
    fn new(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            reason: None,
        }
    }

    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        400
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            String::from(r#"{"error":"internal","message":"the error could not be serialised"}"#)
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<RulesError> for ApiError {
    fn from(e: RulesError) -> ApiError {
        let reason = match &e {
            RulesError::InvalidId(id) => Some(id.code()),
            _ => None,
        };
        ApiError {
            code: e.code(),
            message: e.to_string(),
            reason,
        }
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> ApiError {
        let code = match e.classify() {
            serde_json::error::Category::Data => "bad_field",
            _ => "bad_json",
        };
        ApiError::new(code, e.to_string())
    }
}

/// Every field any operation takes; which ones an operation accepts is
/// checked after parsing, so one typed pass reads any line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request<'a> {
    #[serde(default, borrow)]
    op: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    id_number: Option<Cow<'a, str>>,
    #[serde(default)]
    policy_year: Option<i32>,
    #[serde(default)]
    person: Option<PersonFacts>,
    #[serde(default)]
    first_enrolled_year: Option<i32>,
    #[serde(default)]
    payments: Option<Vec<PaidYear>>,
    #[serde(default)]
    as_of: Option<NaiveDate>,
    #[serde(default)]
    claim: Option<ClaimFacts>,
    #[serde(default)]
    explain: Option<bool>,
}

impl Request<'_> {
    fn check_fields(&self, op: Op) -> Result<(), ApiError> {
        let present = [
            (
                "id_number",
                self.id_number.is_some(),
                matches!(op, Op::IdCheck),
            ),
            (
                "policy_year",
                self.policy_year.is_some(),
                matches!(op, Op::EnrollmentQuote | Op::Benefit),
            ),
            (
                "person",
                self.person.is_some(),
                matches!(op, Op::EnrollmentQuote),
            ),
            (
                "first_enrolled_year",
                self.first_enrolled_year.is_some(),
                matches!(op, Op::PaymentStatus),
            ),
            (
                "payments",
                self.payments.is_some(),
                matches!(op, Op::PaymentStatus),
            ),
            (
                "as_of",
                self.as_of.is_some(),
                matches!(op, Op::PaymentStatus),
            ),
            ("claim", self.claim.is_some(), matches!(op, Op::Benefit)),
        ];
        match present
            .iter()
            .find(|(_, given, allowed)| *given && !*allowed)
        {
            Some((name, _, _)) => Err(ApiError::new(
                "bad_field",
                format!("field `{name}` is not part of the `{}` request", op.code()),
            )),
            None => Ok(()),
        }
    }
}

fn required<T>(value: Option<T>, name: &str, op: Op) -> Result<T, ApiError> {
    value.ok_or_else(|| {
        ApiError::new(
            "bad_field",
            format!("missing field `{name}` for `{}`", op.code()),
        )
    })
}

struct Ratio(Decimal);

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&benefit::ratio_text(self.0))
    }
}

#[derive(Serialize)]
struct IdCheckResponse {
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sex: Option<Sex>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_zh: Option<&'static str>,
}

#[derive(Serialize)]
struct QuoteResponse {
    eligible: bool,
    age: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registrar: Option<Registrar>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    personal: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subsidy: Option<Subsidy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Vec<Evidence>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<RefusalReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation>,
}

#[derive(Serialize)]
struct StatusResponse {
    status: StatusCode,
    continuous_years: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation>,
}

#[derive(Serialize)]
struct BenefitResponse {
    payout: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    deductible: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratio: Option<Ratio>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<NoPayReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capped_by: Option<CapKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Response {
    IdCheck(IdCheckResponse),
    Quote(Box<QuoteResponse>),
    Status(StatusResponse),
    Benefit(BenefitResponse),
}

fn respond(
    rules: &Rules,
    op: Op,
    req: Request<'_>,
    explain_by_default: bool,
    today: Option<NaiveDate>,
) -> Result<Response, ApiError> {
    req.check_fields(op)?;
    let explain = req.explain.unwrap_or(explain_by_default);
    let keep = |e: Explanation| explain.then_some(e);
    match op {
        Op::IdCheck => {
            let id = required(req.id_number, "id_number", op)?;
            Ok(Response::IdCheck(match idcard::check(&id) {
                Ok(id) => IdCheckResponse {
                    valid: true,
                    number: Some(id.number),
                    birth_date: Some(id.birth_date),
                    sex: Some(id.sex),
                    region_code: Some(id.region_code),
                    reason: None,
                    message: None,
                    message_zh: None,
                },
                Err(e) => IdCheckResponse {
                    valid: false,
                    number: None,
                    birth_date: None,
                    sex: None,
                    region_code: None,
                    reason: Some(e.code()),
                    message: Some(e.en()),
                    message_zh: Some(e.zh()),
                },
            }))
        }
        Op::EnrollmentQuote => {
            let year = required(req.policy_year, "policy_year", op)?;
            let person = required(req.person, "person", op)?;
            let quote = match today {
                Some(today) => eligibility::quote_on(rules, year, &person, today, explain)?,
                None => eligibility::quote_with(rules, year, &person, explain)?,
            };
            Ok(Response::Quote(Box::new(match quote {
                Quote::Eligible {
                    age,
                    category,
                    tier,
                    registrar,
                    total,
                    personal,
                    subsidy,
                    evidence,
                    explanation,
                } => QuoteResponse {
                    eligible: true,
                    age,
                    category: Some(category),
                    tier: Some(tier),
                    registrar: Some(registrar),
                    total: Some(total),
                    personal: Some(personal),
                    subsidy: Some(subsidy),
                    evidence: Some(evidence),
                    reason: None,
                    explanation: keep(explanation),
                },
                Quote::Refused {
                    age,
                    reason,
                    explanation,
                } => QuoteResponse {
                    eligible: false,
                    age,
                    category: None,
                    tier: None,
                    registrar: None,
                    total: None,
                    personal: None,
                    subsidy: None,
                    evidence: None,
                    reason: Some(reason),
                    explanation: keep(explanation),
                },
            })))
        }
        Op::PaymentStatus => {
            let first = required(req.first_enrolled_year, "first_enrolled_year", op)?;
            let payments = required(req.payments, "payments", op)?;
            let as_of = required(req.as_of, "as_of", op)?;
            let status =
                contribution::payment_status_with(rules, first, &payments, as_of, explain)?;
            Ok(Response::Status(StatusResponse {
                status: status.status,
                continuous_years: status.continuous_years,
                explanation: keep(status.explanation),
            }))
        }
        Op::Benefit => {
            let claim = required(req.claim, "claim", op)?;
            for (name, amount) in [
                ("in_catalogue", claim.in_catalogue),
                ("paid_ytd_general", claim.paid_ytd_general),
                ("paid_ytd_sublimit", claim.paid_ytd_sublimit),
                ("paid_ytd_student_accident", claim.paid_ytd_student_accident),
            ] {
                if amount.is_negative() {
                    return Err(ApiError::new(
                        "bad_field",
                        format!("`{name}` cannot be negative"),
                    ));
                }
            }
            let params = match req.policy_year {
                Some(year) => rules.year(year)?,
                None => rules.latest().ok_or_else(|| {
                    ApiError::new("unknown_year", "no policy year has parameters")
                })?,
            };
            let d = benefit::decide_with(params, &claim, explain);
            Ok(Response::Benefit(BenefitResponse {
                payout: d.payout,
                deductible: d.deductible,
                ratio: d.ratio.map(Ratio),
                reason: d.reason,
                capped_by: d.capped_by,
                explanation: keep(d.explanation),
            }))
        }
    }
}

fn op_of(req: &Request<'_>) -> Result<Op, ApiError> {
    let code = req
        .op
        .as_deref()
        .ok_or_else(|| ApiError::new("missing_op", "a request names its operation in \"op\""))?;
    Op::from_code(code).ok_or_else(|| unknown_op(code))
}

fn unknown_op(code: &str) -> ApiError {
    let known: Vec<&str> = Op::ALL.iter().map(|op| op.code()).collect();
    ApiError::new(
        "unknown_op",
        format!("unknown op {code:?}; known: {}", known.join(", ")),
    )
}

fn not_an_object() -> ApiError {
    ApiError::new("bad_json", "a request is one JSON object")
}

fn parse(text: &str) -> Result<Request<'_>, ApiError> {
    // A file saved by some Windows editors starts with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with('{') {
        return Err(not_an_object());
    }
    Ok(serde_json::from_str(text)?)
}

fn to_line(response: &Response) -> String {
    serde_json::to_string(response)
        .unwrap_or_else(|e| ApiError::new("internal", e.to_string()).to_json())
}

/// Answers one JSON Lines request (with its `"op"`): always one line of
/// JSON, an error object when the request cannot be answered.
pub fn answer_line(rules: &Rules, line: &str) -> String {
    answer_line_with(rules, line, true)
}

/// [`answer_line`] for batches that want speed: with `explain_by_default`
/// false, only lines saying `"explain": true` carry an explanation, and the
/// others skip formatting it (about twice the throughput).
pub fn answer_line_with(rules: &Rules, line: &str, explain_by_default: bool) -> String {
    let answered = parse(line).and_then(|req| {
        let op = op_of(&req)?;
        respond(rules, op, req, explain_by_default, None)
    });
    match answered {
        Ok(response) => to_line(&response),
        Err(e) => e.to_json(),
    }
}

/// Answers `POST /api/v1/rules/<op>`; the body has no `"op"` (if it has
/// one, it must be the same). An error maps to HTTP 400 with
/// [`ApiError::to_json`] as its body.
pub fn answer_op(rules: &Rules, op: &str, body: &str) -> Result<String, ApiError> {
    answer_op_on(rules, op, body, None)
}

/// [`answer_op`] on a given day, as the portal serves it: an
/// `enrollment_quote` for someone born after `today` is refused with
/// `"reason": "birth_in_future"` ([`eligibility::quote_on`]).
pub fn answer_op_on(
    rules: &Rules,
    op: &str,
    body: &str,
    today: Option<NaiveDate>,
) -> Result<String, ApiError> {
    let op = Op::from_code(op).ok_or_else(|| unknown_op(op))?;
    let req = parse(body)?;
    if let Some(named) = req.op.as_deref() {
        if named != op.code() {
            return Err(ApiError::new(
                "bad_field",
                format!(
                    "the body names op {named:?} but was sent to {:?}",
                    op.code()
                ),
            ));
        }
    }
    respond(rules, op, req, true, today).map(|r| to_line(&r))
}

/// Answers a request given as a JSON value (with its `"op"`).
pub fn answer(rules: &Rules, request: &serde_json::Value) -> serde_json::Value {
    let answered = if request.is_object() {
        Request::deserialize(request)
            .map_err(ApiError::from)
            .and_then(|req| {
                let op = op_of(&req)?;
                respond(rules, op, req, true, None)
            })
    } else {
        Err(not_an_object())
    };
    let value = match answered {
        Ok(response) => {
            serde_json::to_value(&response).map_err(|e| ApiError::new("internal", e.to_string()))
        }
        Err(e) => Err(e),
    };
    value.unwrap_or_else(|e| serde_json::to_value(&e).unwrap_or(serde_json::Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn line(rules: &Rules, text: &str) -> Value {
        serde_json::from_str(&answer_line(rules, text)).unwrap()
    }

    #[test]
    fn a_quote_for_someone_born_after_today_is_refused() {
        let rules = Rules::builtin();
        let body = json!({
            "policy_year": 2009,
            "person": {
                "id_number": "152201200811211249", "birth_date": "2008-11-21", "sex": "female",
                "in_school": false, "employee_insured": false, "flexible_employment": false,
                "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false,
                "disability_grade": null, "low_income_household": false,
                "hukou_moved_in_year": null
            }
        })
        .to_string();
        let on = |day: &str| -> Value {
            let today = Some(day.parse().unwrap());
            serde_json::from_str(&answer_op_on(&rules, "enrollment_quote", &body, today).unwrap())
                .unwrap()
        };
        let before = on("2008-11-20");
        assert_eq!(before["eligible"], json!(false));
        assert_eq!(before["reason"], json!("birth_in_future"));
        assert_eq!(on("2008-11-21")["eligible"], json!(true));
    }

    #[test]
    fn errors_have_codes_and_never_panic() {
        let rules = Rules::builtin();
        for (text, code) in [
            ("", "bad_json"),
            ("not json", "bad_json"),
            ("[1,2]", "bad_json"),
            ("{\"op\": \"id_check\"", "bad_json"),
            ("{}", "missing_op"),
            ("{\"op\": \"fly\"}", "unknown_op"),
            ("{\"op\": \"id_check\"}", "bad_field"),
            ("{\"op\": \"id_check\", \"id_number\": 5}", "bad_field"),
            ("{\"op\": \"id_check\", \"id_number\": \"1\", \"extra\": 1}", "bad_field"),
            ("{\"op\": \"id_check\", \"id_number\": \"1\", \"as_of\": \"2009-01-01\"}", "bad_field"),
            ("{\"op\": \"payment_status\", \"first_enrolled_year\": 2009, \"payments\": [], \"as_of\": \"2009-02-30\"}", "bad_field"),
            ("{\"op\": \"payment_status\", \"first_enrolled_year\": 2009, \"payments\": [], \"as_of\": \"2015-02-03\"}", "unknown_year"),
        ] {
            let v = line(&rules, text);
            assert_eq!(v["error"], code, "{text}: {v}");
            assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{text}");
        }
    }

    #[test]
    fn http_form_takes_the_op_from_the_path() {
        let rules = Rules::builtin();
        let ok = answer_op(&rules, "id_check", r#"{"id_number": "152222200712231473"}"#).unwrap();
        let v: Value = serde_json::from_str(&ok).unwrap();
        assert_eq!(v["valid"], true);
        assert_eq!(v["sex"], "male");
        let err =
            answer_op(&rules, "id_check", r#"{"op": "benefit", "id_number": "1"}"#).unwrap_err();
        assert_eq!((err.code, err.status()), ("bad_field", 400));
        assert_eq!(
            answer_op(&rules, "nope", "{}").unwrap_err().code,
            "unknown_op"
        );
        let err = answer_op(&rules, "enrollment_quote", r#"{"policy_year": 2009, "person": {"id_number": "15222220071223147X", "birth_date": "2007-12-23", "sex": "male", "in_school": false, "employee_insured": false, "flexible_employment": false, "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false, "low_income_household": false}}"#).unwrap_err();
        assert_eq!(
            (err.code, err.reason),
            ("bad_id_number", Some("bad_checksum"))
        );
        let v: Value = serde_json::from_str(&err.to_json()).unwrap();
        assert_eq!(v["error"], "bad_id_number");
    }

    #[test]
    fn value_form_and_explanations() {
        let rules = Rules::builtin();
        let request = json!({"op": "benefit", "claim": {"kind": "transfer", "in_catalogue": "10000.00", "hospital_grade": 2,
            "admission_ordinal": 1, "continuous_years": 1, "minor_blood_disease": false, "cause": null,
            "transfer_approved": true, "filed_within_days": 1, "disease": null, "covered": true,
            "paid_ytd_general": "0.00", "paid_ytd_sublimit": "0.00", "paid_ytd_student_accident": "0.00"}});
        let v = answer(&rules, &request);
        assert_eq!(v["payout"], "5820.00");
        assert_eq!(v["ratio"], "0.60");
        let steps = v["explanation"].as_array().unwrap();
        assert!(steps.iter().any(|s| s["article"] == "B3"));
        assert!(steps
            .iter()
            .all(|s| s["zh"].is_string() && s["en"].is_string()));
        let mut quiet = request.clone();
        quiet["explain"] = json!(false);
        assert!(answer(&rules, &quiet).get("explanation").is_none());
        let line_text = request.to_string();
        let fast: Value =
            serde_json::from_str(&answer_line_with(&rules, &line_text, false)).unwrap();
        assert!(fast.get("explanation").is_none());
        assert_eq!(fast["payout"], "5820.00");
        let asked = line_text.replacen('{', r#"{"explain":true,"#, 1);
        let asked: Value = serde_json::from_str(&answer_line_with(&rules, &asked, false)).unwrap();
        assert!(asked["explanation"].is_array());
        assert_eq!(answer(&rules, &json!([1]))["error"], "bad_json");
        let mut negative = request.clone();
        negative["claim"]["in_catalogue"] = json!("-1.00");
        assert_eq!(answer(&rules, &negative)["error"], "bad_field");
        let mut year = request;
        year["policy_year"] = json!(2011);
        assert_eq!(answer(&rules, &year)["error"], "unknown_year");
    }

    #[test]
    fn refused_benefit_has_no_deductible_or_ratio() {
        let rules = Rules::builtin();
        let v = line(
            &rules,
            r#"{"op": "benefit", "explain": false, "claim": {"kind": "transfer", "in_catalogue": "10000.00", "hospital_grade": 2, "admission_ordinal": 1, "continuous_years": 1, "minor_blood_disease": false, "cause": null, "transfer_approved": false, "filed_within_days": 1, "disease": null, "covered": true, "paid_ytd_general": "0.00", "paid_ytd_sublimit": "0.00", "paid_ytd_student_accident": "0.00"}}"#,
        );
        assert_eq!(
            v,
            json!({"payout": "0.00", "reason": "transfer_not_approved"})
        );
    }
}
