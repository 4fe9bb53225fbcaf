//! The form posts of the server-rendered pages, typed: one struct per form
//! with its fields as the browser sends them (an empty input is "", a box
//! not ticked is absent; a field missing from the post reads as empty), and
//! a conversion to the service's type that refuses a bad field with the code
//! the page shows (`?error=<code>`). Fields are checked in the order the
//! handlers always read them, so a post with two bad fields gets the same
//! code as before.

use chrono::NaiveDate;
use db::claims::{
    self, AfterPayment, ApprovalKind, FilingAgent, FirstReview, NewApproval, NewClaim,
    NewEmergencyReport, ReviewFacts,
};
use db::error::{ClaimError, InputError};
use db::households::Circumstances;
use db::preregistration::NewMember;
use db::roster::Mode;
use policy::benefit::{Cause, ClaimKind, Disease, HospitalGrade};
use policy::money::Money;
use policy::payment_run::RunKind;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Deserialize;

fn date(text: &str) -> Result<NaiveDate, db::Error> {
    text.trim()
        .parse()
        .map_err(|_| db::Error::from(InputError::Date))
}

/// An amount as typed: a minus sign gets its own words, not "enter an amount".
fn money(text: &str, refusal: impl Into<db::Error>) -> Result<Money, db::Error> {
    let m = Money::from_yuan_str(text.trim()).map_err(|_| refusal.into())?;
    if m < Money::zero() {
        return Err(InputError::AmountNegative.into());
    }
    Ok(m)
}

fn person(text: &str) -> Result<i64, db::Error> {
    text.trim()
        .parse()
        .map_err(|_| db::Error::from(InputError::Person))
}

fn claim_kind(text: &str) -> Result<ClaimKind, db::Error> {
    claims::kind_from_code(text.trim()).ok_or(db::Error::from(InputError::Kind))
}

fn grade(text: &str) -> Result<HospitalGrade, db::Error> {
    text.trim()
        .parse::<u8>()
        .ok()
        .and_then(|g| HospitalGrade::try_from(g).ok())
        .ok_or(db::Error::from(ClaimError::HospitalGrade))
}

/// A claim form's box, ticked when it sends `1`.
fn ticked(tick: &Option<String>) -> bool {
    tick.as_deref().map(str::trim) == Some("1")
}

fn text(value: &str) -> String {
    value.trim().to_string()
}

/// `POST /claims/emergency`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmergencyForm {
    pub person_id: String,
    pub kind: String,
    pub occurred_on: String,
    pub hospital: String,
    pub note: String,
}

impl TryFrom<EmergencyForm> for NewEmergencyReport {
    type Error = db::Error;
    fn try_from(f: EmergencyForm) -> Result<Self, db::Error> {
        Ok(NewEmergencyReport {
            person_id: person(&f.person_id)?,
            kind: claim_kind(&f.kind)?,
            occurred_on: date(&f.occurred_on)?,
            hospital: text(&f.hospital),
            note: text(&f.note),
        })
    }
}

/// `POST /claims/approval`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApprovalForm {
    pub person_id: String,
    pub kind: String,
    pub disease: String,
    pub hospital: String,
    pub reason: String,
    /// Empty when the request names no amount.
    pub amount: String,
    pub emergency: Option<String>,
    pub care_on: String,
}

impl TryFrom<ApprovalForm> for NewApproval {
    type Error = db::Error;
    fn try_from(f: ApprovalForm) -> Result<Self, db::Error> {
        let kind =
            ApprovalKind::from_code(f.kind.trim()).ok_or(db::Error::from(InputError::Kind))?;
        let amount = match f.amount.trim() {
            "" => None,
            a => Some(money(a, InputError::Amount)?),
        };
        Ok(NewApproval {
            person_id: person(&f.person_id)?,
            kind,
            disease: Disease::from_code(f.disease.trim()),
            hospital: text(&f.hospital),
            reason: text(&f.reason),
            amount,
            emergency: ticked(&f.emergency),
            care_on: date(&f.care_on)?,
        })
    }
}

/// `POST /claims/file`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClaimForm {
    pub kind: String,
    pub person_id: String,
    pub care_from: String,
    pub care_to: String,
    pub hospital: String,
    pub hospital_grade: String,
    pub billed: String,
    pub disease: String,
    pub agent_name: String,
    pub agent_id_number: String,
    pub agent_relation: String,
    pub bank_account: String,
    pub account_name: String,
    pub request_key: String,
}

impl TryFrom<ClaimForm> for NewClaim {
    type Error = db::Error;
    fn try_from(f: ClaimForm) -> Result<Self, db::Error> {
        let kind = claim_kind(&f.kind)?;
        let hospital_grade = grade(&f.hospital_grade)?;
        Ok(NewClaim {
            person_id: person(&f.person_id)?,
            kind,
            care_from: date(&f.care_from)?,
            care_to: date(&f.care_to)?,
            hospital: text(&f.hospital),
            hospital_grade,
            billed: money(&f.billed, InputError::Billed)?,
            disease: Disease::from_code(f.disease.trim()),
            agent: FilingAgent {
                name: text(&f.agent_name),
                id_number: text(&f.agent_id_number),
                relation: text(&f.agent_relation),
            },
            bank_account: text(&f.bank_account),
            account_name: text(&f.account_name),
            request_key: text(&f.request_key),
        })
    }
}

/// `POST /claims/{number}/documents/{id}/kind`: what a document is.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DocumentKindForm {
    pub kind: String,
}

/// `POST /claims/{number}/first-review`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FirstReviewForm {
    pub in_catalogue: String,
    pub hospital_grade: String,
    /// Empty when no cause applies.
    pub cause: String,
    pub minor_blood_disease: Option<String>,
    /// Empty for none.
    pub earlier_admissions: String,
    pub documents_false: Option<String>,
    pub note: String,
}

impl TryFrom<FirstReviewForm> for FirstReview {
    type Error = db::Error;
    fn try_from(f: FirstReviewForm) -> Result<Self, db::Error> {
        let hospital_grade = grade(&f.hospital_grade)?;
        let cause = match f.cause.trim() {
            "" => None,
            c => Some(Cause::from_code(c).ok_or(db::Error::from(ClaimError::Cause))?),
        };
        Ok(FirstReview {
            facts: ReviewFacts {
                in_catalogue: money(&f.in_catalogue, ClaimError::InCatalogue)?,
                hospital_grade,
                cause,
                minor_blood_disease: ticked(&f.minor_blood_disease),
                earlier_admissions: match f.earlier_admissions.trim() {
                    "" => 0,
                    n => n
                        .parse()
                        .map_err(|_| db::Error::from(ClaimError::EarlierAdmissions))?,
                },
            },
            documents_false: ticked(&f.documents_false),
            note: text(&f.note),
        })
    }
}

/// `POST /claims/{number}/second-review`: confirm, or send back.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SecondReviewForm {
    pub confirm: Option<String>,
    pub note: String,
}

impl SecondReviewForm {
    pub fn confirmed(&self) -> bool {
        ticked(&self.confirm)
    }

    pub fn note(&self) -> &str {
        self.note.trim()
    }
}

/// `POST /claims/approvals/{id}/decide`: approve, or refuse.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub approve: Option<String>,
    pub note: String,
}

impl DecisionForm {
    pub fn approved(&self) -> bool {
        ticked(&self.approve)
    }

    pub fn note(&self) -> &str {
        self.note.trim()
    }
}

/// `POST /claims/{number}/fraud`: fraud found after payment (M29).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FraudForm {
    pub fraud_on: String,
    pub confirmed_on: String,
    /// Empty when the money was not refunded.
    pub refunded_on: String,
    pub months: String,
}

/// What [`claims::fraud_after_payment`] is told besides the claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fraud {
    pub fraud_on: NaiveDate,
    pub confirmed_on: NaiveDate,
    pub case: AfterPayment,
}

impl TryFrom<FraudForm> for Fraud {
    type Error = db::Error;
    fn try_from(f: FraudForm) -> Result<Self, db::Error> {
        let case = match f.refunded_on.trim() {
            "" => AfterPayment::NotRefunded,
            refunded_on => AfterPayment::Refunded {
                refunded_on: date(refunded_on)?,
                months: f
                    .months
                    .trim()
                    .parse()
                    .map_err(|_| db::Error::from(InputError::Months))?,
            },
        };
        Ok(Fraud {
            fraud_on: date(&f.fraud_on)?,
            confirmed_on: date(&f.confirmed_on)?,
            case,
        })
    }
}

/// `POST /claims/suspensions/{id}/repaid`, from a claim's page or the review page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RepaidForm {
    /// The claim whose page the form is on; empty on the review page.
    pub claim: String,
    pub repaid_on: String,
}

impl RepaidForm {
    /// The page to go back to.
    pub fn page(&self) -> String {
        match self.claim.trim() {
            "" => "/claims/review".to_string(),
            n => format!("/claims/{n}"),
        }
    }

    pub fn repaid_on(&self) -> Result<NaiveDate, db::Error> {
        date(&self.repaid_on)
    }
}

/// `POST /claims/settings/interest-rate`: the deposit rate for repayments.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InterestRateForm {
    pub rate: String,
}

impl TryFrom<InterestRateForm> for Decimal {
    type Error = db::Error;
    fn try_from(f: InterestRateForm) -> Result<Self, db::Error> {
        f.rate
            .trim()
            .parse()
            .map_err(|_| db::Error::from(ClaimError::InterestRate))
    }
}

/// `POST /runs/prepare`: a window's payment run.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RunForm {
    pub kind: String,
    pub window_start: String,
}

/// The window a run is prepared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunWindow {
    pub kind: RunKind,
    pub start: NaiveDate,
}

impl TryFrom<RunForm> for RunWindow {
    type Error = db::Error;
    fn try_from(f: RunForm) -> Result<Self, db::Error> {
        Ok(RunWindow {
            kind: RunKind::from_code(f.kind.trim()).ok_or(db::Error::from(InputError::Kind))?,
            start: date(&f.window_start)?,
        })
    }
}

/// A person's circumstances as `PersonFactChecks` ticks them: a box is on
/// when present, not empty and not `false`; a grade or year is optional,
/// and a bad one is refused, not dropped.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CircumstancesForm {
    pub in_school: Option<String>,
    pub employee_insured: Option<String>,
    pub flexible_employment: Option<String>,
    pub ncms_enrolled: Option<String>,
    pub migrant_worker_child: Option<String>,
    pub dibao: Option<String>,
    pub disability_grade: String,
    pub low_income_household: Option<String>,
    pub hukou_moved_in_year: String,
}

impl TryFrom<CircumstancesForm> for Circumstances {
    type Error = db::Error;
    fn try_from(f: CircumstancesForm) -> Result<Self, db::Error> {
        let on = |v: &Option<String>| {
            v.as_deref()
                .is_some_and(|v| !v.trim().is_empty() && v != "false")
        };
        fn number(v: &str) -> Option<&str> {
            Some(v.trim()).filter(|v| !v.is_empty())
        }
        Ok(Circumstances {
            in_school: on(&f.in_school),
            employee_insured: on(&f.employee_insured),
            flexible_employment: on(&f.flexible_employment),
            ncms_enrolled: on(&f.ncms_enrolled),
            migrant_worker_child: on(&f.migrant_worker_child),
            dibao: on(&f.dibao),
            disability_grade: number(&f.disability_grade)
                .map(|g| {
                    g.parse::<u8>()
                        .ok()
                        .filter(|g| (1..=4).contains(g))
                        .ok_or(db::Error::from(InputError::PersonFacts))
                })
                .transpose()?,
            low_income_household: on(&f.low_income_household),
            hukou_moved_in_year: number(&f.hukou_moved_in_year)
                .map(|y| {
                    y.parse::<i32>()
                        .map_err(|_| db::Error::from(InputError::Year))
                })
                .transpose()?,
        })
    }
}

/// `POST /prereg/{id}/correct`: the office corrects a member's name and circumstances.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CorrectionForm {
    pub name: String,
    #[serde(flatten)]
    pub circumstances: CircumstancesForm,
}

/// The fields of `POST /register/member` beside its photos (multipart).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub policy_year: String,
    pub id_number: String,
    pub name: String,
    /// The evidence a `doc_certificate` photo shows, picked by the resident.
    pub certificate_code: String,
    #[serde(flatten)]
    pub circumstances: CircumstancesForm,
}

/// A multipart post's text parts read as a form post's fields would be
/// (the first of a repeated name): the same struct for a form with files.
pub fn from_parts<T: DeserializeOwned>(parts: Vec<(String, String)>) -> Result<T, db::Error> {
    let mut seen = std::collections::HashSet::new();
    let parts: Vec<_> = parts
        .into_iter()
        .filter(|(name, _)| seen.insert(name.clone()))
        .collect();
    serde_urlencoded::to_string(&parts)
        .ok()
        .and_then(|query| serde_urlencoded::from_str(&query).ok())
        .ok_or(db::Error::from(InputError::Request))
}

/// The fields of `POST /school/roster/upload` beside its file (multipart).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RosterUploadForm {
    pub policy_year: String,
    /// `import`, or anything else for a dry run.
    pub mode: String,
}

impl RosterUploadForm {
    pub fn policy_year(&self) -> Result<i32, db::Error> {
        self.policy_year
            .trim()
            .parse()
            .map_err(|_| db::Error::from(InputError::PolicyYear))
    }

    pub fn mode(&self) -> Mode {
        if self.mode == "import" {
            Mode::Import
        } else {
            Mode::DryRun
        }
    }
}

impl TryFrom<MemberForm> for NewMember {
    type Error = db::Error;
    fn try_from(f: MemberForm) -> Result<Self, db::Error> {
        let circumstances = Circumstances::try_from(f.circumstances)?;
        Ok(NewMember {
            policy_year: f
                .policy_year
                .trim()
                .parse()
                .map_err(|_| db::Error::from(InputError::PolicyYear))?,
            id_number: f.id_number,
            name: f.name,
            circumstances,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<T: serde::de::DeserializeOwned>(body: &str) -> T {
        serde_urlencoded::from_str(body).unwrap()
    }

    fn code<T>(r: Result<T, db::Error>) -> &'static str {
        match r {
            Ok(_) => panic!("accepted, not refused"),
            Err(e) => e.code(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const CLAIM: &str = "kind=transfer&request_key=key-0001&person_id=7&care_from=2026-06-01\
        &care_to=2026-06-10&hospital=+%E5%8D%8F%E5%92%8C%E5%8C%BB%E9%99%A2+&hospital_grade=3\
        &billed=8000.50&disease=&agent_name=%E7%8E%8B&agent_id_number=152201194811031629\
        &agent_relation=self&bank_account=6222020200112233445&account_name=%E7%8E%8B";

    #[test]
    fn a_good_claim_form_is_a_new_claim() {
        let c = NewClaim::try_from(form::<ClaimForm>(CLAIM)).unwrap();
        assert_eq!(c.person_id, 7);
        assert_eq!(c.kind, ClaimKind::Transfer);
        assert_eq!(
            (c.care_from, c.care_to),
            (day("2026-06-01"), day("2026-06-10"))
        );
        assert_eq!(c.hospital, "协和医院", "trimmed");
        assert_eq!(c.hospital_grade, HospitalGrade::try_from(3).unwrap());
        assert_eq!(c.billed, Money::from_fen(800_050));
        assert_eq!(c.disease, None);
        assert_eq!(c.agent.id_number, "152201194811031629");
        assert_eq!(c.agent.relation, "self");
        assert_eq!(c.request_key, "key-0001");
    }

    #[test]
    fn a_claim_form_refuses_each_bad_field_with_its_code() {
        let refused = |from: &str, to: &str| {
            code(NewClaim::try_from(form::<ClaimForm>(
                &CLAIM.replace(from, to),
            )))
        };
        assert_eq!(refused("kind=transfer", "kind=dental"), "kind");
        assert_eq!(
            refused("hospital_grade=3", "hospital_grade=4"),
            "hospital_grade"
        );
        assert_eq!(
            refused("hospital_grade=3", "hospital_grade="),
            "hospital_grade"
        );
        assert_eq!(refused("person_id=7", "person_id=seven"), "person");
        assert_eq!(
            refused("care_from=2026-06-01", "care_from=2026-02-30"),
            "date"
        );
        assert_eq!(refused("care_to=2026-06-10", "care_to="), "date");
        assert_eq!(refused("billed=8000.50", "billed=8000.505"), "billed");
        assert_eq!(refused("billed=8000.50", "billed=lots"), "billed");
        assert_eq!(refused("billed=8000.50", "billed=-500"), "amount_negative");
        // The kind is read first, as the handler always read it.
        assert_eq!(code(NewClaim::try_from(ClaimForm::default())), "kind");
    }

    #[test]
    fn an_emergency_form_is_a_report_or_refused_with_its_code() {
        let good = "person_id=3&kind=outpatient_emergency&occurred_on=2026-05-02&hospital=A&note=";
        let r = NewEmergencyReport::try_from(form::<EmergencyForm>(good)).unwrap();
        assert_eq!(
            (r.person_id, r.kind, r.occurred_on),
            (3, ClaimKind::OutpatientEmergency, day("2026-05-02"))
        );
        let refused = |from: &str, to: &str| {
            code(NewEmergencyReport::try_from(form::<EmergencyForm>(
                &good.replace(from, to),
            )))
        };
        assert_eq!(refused("person_id=3", "person_id="), "person");
        assert_eq!(
            refused("kind=outpatient_emergency", "kind=inpatient"),
            "kind"
        );
        assert_eq!(refused("2026-05-02", "02/05/2026"), "date");
    }

    #[test]
    fn an_approval_form_is_a_request_or_refused_with_its_code() {
        let good = "person_id=3&kind=special_item&disease=&hospital=A&reason=B\
            &amount=1500&emergency=1&care_on=2026-05-02";
        let a = NewApproval::try_from(form::<ApprovalForm>(good)).unwrap();
        assert_eq!(a.kind, ApprovalKind::SpecialItem);
        assert_eq!(a.amount, Some(Money::from_fen(150_000)));
        assert!(a.emergency);
        assert_eq!(a.care_on, day("2026-05-02"));
        let without = NewApproval::try_from(form::<ApprovalForm>(
            &good.replace("amount=1500&emergency=1&", "amount=&"),
        ))
        .unwrap();
        assert_eq!((without.amount, without.emergency), (None, false));
        let refused = |from: &str, to: &str| {
            code(NewApproval::try_from(form::<ApprovalForm>(
                &good.replace(from, to),
            )))
        };
        assert_eq!(refused("kind=special_item", "kind=holiday"), "kind");
        assert_eq!(refused("amount=1500", "amount=1.5.0"), "amount");
        assert_eq!(refused("care_on=2026-05-02", "care_on=tomorrow"), "date");
    }

    #[test]
    fn a_first_review_form_is_the_facts_or_refused_with_its_code() {
        let good = "in_catalogue=7000.00&hospital_grade=2&cause=&earlier_admissions=&note=+ok+";
        let r = FirstReview::try_from(form::<FirstReviewForm>(good)).unwrap();
        assert_eq!(r.facts.in_catalogue, Money::from_fen(700_000));
        assert_eq!(r.facts.hospital_grade, HospitalGrade::try_from(2).unwrap());
        assert_eq!(r.facts.cause, None);
        assert_eq!(r.facts.earlier_admissions, 0);
        assert!(!r.facts.minor_blood_disease && !r.documents_false);
        assert_eq!(r.note, "ok");
        let ticked = FirstReview::try_from(form::<FirstReviewForm>(&good.replace(
            "earlier_admissions=",
            "minor_blood_disease=1&documents_false=1&earlier_admissions=2",
        )))
        .unwrap();
        assert!(ticked.facts.minor_blood_disease && ticked.documents_false);
        assert_eq!(ticked.facts.earlier_admissions, 2);
        for cause in Cause::ALL {
            let with = good.replace("cause=", &format!("cause={}", cause.code()));
            let r = FirstReview::try_from(form::<FirstReviewForm>(&with)).unwrap();
            assert_eq!(r.facts.cause, Some(*cause));
        }
        let refused = |from: &str, to: &str| {
            code(FirstReview::try_from(form::<FirstReviewForm>(
                &good.replace(from, to),
            )))
        };
        assert_eq!(
            refused("hospital_grade=2", "hospital_grade=0"),
            "hospital_grade"
        );
        assert_eq!(refused("cause=", "cause=bad_luck"), "cause");
        assert_eq!(
            refused("in_catalogue=7000.00", "in_catalogue=x"),
            "in_catalogue"
        );
        assert_eq!(
            refused("earlier_admissions=", "earlier_admissions=-1"),
            "earlier_admissions"
        );
    }

    #[test]
    fn a_fraud_form_is_refunded_or_not_or_refused_with_its_code() {
        let good = "fraud_on=2026-03-01&confirmed_on=2026-04-01&refunded_on=&months=";
        let f = Fraud::try_from(form::<FraudForm>(good)).unwrap();
        assert_eq!(f.case, AfterPayment::NotRefunded);
        assert_eq!(
            (f.fraud_on, f.confirmed_on),
            (day("2026-03-01"), day("2026-04-01"))
        );
        let refunded = good.replace("refunded_on=&months=", "refunded_on=2026-04-10&months=4");
        assert_eq!(
            Fraud::try_from(form::<FraudForm>(&refunded)).unwrap().case,
            AfterPayment::Refunded {
                refunded_on: day("2026-04-10"),
                months: 4
            }
        );
        let refused = |body: &str| code(Fraud::try_from(form::<FraudForm>(body)));
        assert_eq!(
            refused(&refunded.replace("months=4", "months=four")),
            "months"
        );
        assert_eq!(refused(&good.replace("2026-03-01", "2026-13-01")), "date");
    }

    #[test]
    fn the_small_forms_read_their_fields() {
        let run = RunWindow::try_from(form::<RunForm>(
            "kind=special_outpatient&window_start=2026-07-05",
        ));
        assert_eq!(
            run.unwrap(),
            RunWindow {
                kind: RunKind::SpecialOutpatient,
                start: day("2026-07-05")
            }
        );
        let run = |body: &str| code(RunWindow::try_from(form::<RunForm>(body)));
        assert_eq!(run("kind=weekly&window_start=2026-07-05"), "kind");
        assert_eq!(run("kind=special_outpatient&window_start="), "date");

        let rate = |body: &str| Decimal::try_from(form::<InterestRateForm>(body));
        assert_eq!(rate("rate=0.0035").unwrap(), Decimal::new(35, 4));
        assert_eq!(code(rate("rate=low")), "interest_rate");

        let repaid = form::<RepaidForm>("claim=2026-BX-000001&repaid_on=2026-05-01");
        assert_eq!(repaid.page(), "/claims/2026-BX-000001");
        assert_eq!(repaid.repaid_on().unwrap(), day("2026-05-01"));
        let repaid = form::<RepaidForm>("repaid_on=May");
        assert_eq!(repaid.page(), "/claims/review");
        assert_eq!(code(repaid.repaid_on()), "date");

        let second = form::<SecondReviewForm>("confirm=1&note=+fine+");
        assert!(second.confirmed());
        assert_eq!(second.note(), "fine");
        assert!(!form::<SecondReviewForm>("note=").confirmed());
        assert!(form::<DecisionForm>("approve=1").approved());
        assert!(!form::<DecisionForm>("note=no").approved());
    }

    #[test]
    fn circumstances_tick_and_refuse_as_the_forms_did() {
        let c = Circumstances::try_from(form::<CircumstancesForm>(
            "in_school=on&dibao=1&employee_insured=&ncms_enrolled=false&disability_grade=+2+&hukou_moved_in_year=",
        ))
        .unwrap();
        assert!(c.in_school && c.dibao);
        assert!(!c.employee_insured && !c.ncms_enrolled && !c.flexible_employment);
        assert_eq!((c.disability_grade, c.hukou_moved_in_year), (Some(2), None));
        let refused = |body: &str| code(Circumstances::try_from(form::<CircumstancesForm>(body)));
        assert_eq!(refused("disability_grade=5"), "person_facts");
        assert_eq!(refused("hukou_moved_in_year=last"), "year");
    }

    #[test]
    fn the_member_form_reads_its_parts_and_refuses_a_bad_year() {
        let parts = |year: &str| {
            [
                ("policy_year", year),
                ("id_number", "152201194811031629"),
                ("name", "韩桂英"),
                ("dibao", "1"),
                ("name", "repeated"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .to_vec()
        };
        let m = NewMember::try_from(from_parts::<MemberForm>(parts(" 2026 ")).unwrap()).unwrap();
        assert_eq!((m.policy_year, m.name.as_str()), (2026, "韩桂英"));
        assert!(m.circumstances.dibao);
        let refused = NewMember::try_from(from_parts::<MemberForm>(parts("")).unwrap());
        assert_eq!(code(refused), "policy_year");
        let correction = form::<CorrectionForm>("name=%E9%9F%A9&in_school=1&disability_grade=1");
        assert_eq!(correction.name, "韩");
        let c = Circumstances::try_from(correction.circumstances).unwrap();
        assert!(c.in_school && c.disability_grade == Some(1));
    }

    #[test]
    fn the_roster_upload_reads_its_year_and_mode() {
        let parts = |year: &str, mode: &str| {
            vec![
                ("policy_year".to_string(), year.to_string()),
                ("mode".to_string(), mode.to_string()),
            ]
        };
        let form = from_parts::<RosterUploadForm>(parts(" 2026 ", "import")).unwrap();
        assert_eq!(
            (form.policy_year().unwrap(), form.mode()),
            (2026, Mode::Import)
        );
        let form = from_parts::<RosterUploadForm>(parts("twenty", "check")).unwrap();
        assert_eq!(form.mode(), Mode::DryRun);
        assert_eq!(code(form.policy_year()), "policy_year");
        let form = from_parts::<RosterUploadForm>(vec![]).unwrap();
        assert_eq!(
            (code(form.policy_year()), form.mode()),
            ("policy_year", Mode::DryRun)
        );
    }
}
