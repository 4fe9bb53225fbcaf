//! What a claim's page shows beside its timeline: the steps still to come,
//! what the claim waits for, and which forms its reader gets. Built here, in
//! one tested function, so that no page compares status strings.

use super::*;

/// A step of a claim's way that is still to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    FirstReview,
    SecondReview,
    Paid,
}

impl Step {
    /// The timeline's word for it (the event step of the same name).
    pub fn code(self) -> &'static str {
        match self {
            Step::FirstReview => "first_review",
            Step::SecondReview => "second_review",
            Step::Paid => "paid",
        }
    }
}

/// What the claim waits for, and whose turn it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub status: ClaimStatus,
    pub to_come: Vec<Step>,
    /// Document kinds the claim still needs (B17).
    pub missing: Vec<&'static str>,
    /// Filed but the first review cannot start: documents are missing.
    pub waits_for_documents: bool,
    /// The resident may still add documents.
    pub uploads_open: bool,
    /// A reviewer gets the first-review form.
    pub first_review_open: bool,
    /// A reviewer (not the first one) gets the second-review form.
    pub second_review_open: bool,
    /// The engine's estimate applies (not decided yet).
    pub estimate_applies: bool,
    /// The decision is shown (approved, refused or paid).
    pub decided: bool,
    /// Approved: waits for the payment run of its window.
    pub waits_for_run: bool,
    /// Paid: in this run.
    pub paid_in_run: Option<String>,
}

/// The progress of `claim`, whose documents are `have`.
pub fn progress(claim: &Claim, have: &[Document]) -> Progress {
    let status = claim.status;
    let missing = missing_among(claim, have);
    let filed = matches!(status, ClaimStatus::Filed | ClaimStatus::FirstReview);
    let mut to_come = Vec::new();
    if filed {
        to_come.extend([Step::FirstReview, Step::SecondReview]);
    } else if status == ClaimStatus::SecondReview {
        to_come.push(Step::SecondReview);
    }
    if status.undecided() || status == ClaimStatus::Approved {
        to_come.push(Step::Paid);
    }
    Progress {
        status,
        to_come,
        waits_for_documents: filed && !missing.is_empty(),
        uploads_open: filed,
        first_review_open: filed && missing.is_empty(),
        second_review_open: status == ClaimStatus::SecondReview,
        estimate_applies: status.undecided(),
        decided: !status.undecided(),
        waits_for_run: status == ClaimStatus::Approved,
        paid_in_run: claim
            .payment_run_number
            .clone()
            .filter(|_| status == ClaimStatus::Paid),
        missing,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn claim(status: ClaimStatus, kind: ClaimKind) -> Claim {
        Claim {
            id: 1,
            number: "BX2027000001".into(),
            person_id: 1,
            person_name: "王秀兰".into(),
            id_number: String::new(),
            household_id: 1,
            county_code: "152201".into(),
            kind,
            care_from: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            care_to: NaiveDate::from_ymd_opt(2027, 3, 5).unwrap(),
            hospital: "兴安盟人民医院".into(),
            hospital_grade: 3,
            billed_fen: 100_000,
            disease: None,
            emergency_report_id: None,
            agent_name: String::new(),
            agent_id_number: String::new(),
            agent_relation: "self".into(),
            bank_account: String::new(),
            account_name: String::new(),
            filed_at: 0,
            status,
            first_reviewer: None,
            first_reviewer_name: None,
            first_reviewed_at: None,
            in_catalogue_fen: None,
            cause: None,
            minor_blood_disease: false,
            earlier_admissions: 0,
            documents_false: false,
            first_note: None,
            second_reviewer: None,
            second_reviewer_name: None,
            second_reviewed_at: None,
            decided_on: None,
            facts_json: None,
            payout_fen: None,
            reason: None,
            explanation_json: None,
            run_window_start: None,
            payment_run_number: Some("ZF2027000001".into()),
            paid_at: None,
        }
    }

    fn doc(kind: &str) -> Document {
        Document {
            id: 1,
            sha256: kind.into(),
            content_type: "image/png".into(),
            size_bytes: 1,
            household_id: 1,
            person_id: Some(1),
            pre_registration_member_id: None,
            evidence_code: Some(kind.into()),
            claim_id: Some(1),
            uploaded_by: 1,
            uploaded_at: 0,
        }
    }

    #[test]
    fn a_filed_claim_waits_for_its_documents_before_the_first_review() {
        let c = claim(ClaimStatus::Filed, ClaimKind::SpecialOutpatient);
        let p = progress(&c, &[doc("receipt")]);
        assert_eq!(p.missing, vec!["prescription"]);
        assert!(p.waits_for_documents && p.uploads_open);
        assert!(!p.first_review_open && !p.second_review_open && !p.decided);
        assert_eq!(
            p.to_come,
            vec![Step::FirstReview, Step::SecondReview, Step::Paid]
        );
        let p = progress(&c, &[doc("receipt"), doc("prescription")]);
        assert!(p.missing.is_empty() && !p.waits_for_documents && p.first_review_open);
        assert!(p.estimate_applies);
    }

    #[test]
    fn each_later_status_has_its_own_steps_and_forms() {
        let all = ["receipt", "diagnosis", "expense_list", "medical_record"].map(doc);
        let p = progress(&claim(ClaimStatus::SecondReview, ClaimKind::Transfer), &all);
        assert_eq!(p.to_come, vec![Step::SecondReview, Step::Paid]);
        assert!(p.second_review_open && !p.first_review_open && !p.uploads_open);
        let p = progress(&claim(ClaimStatus::Approved, ClaimKind::Transfer), &all);
        assert_eq!(p.to_come, vec![Step::Paid]);
        assert!(p.decided && p.waits_for_run && p.paid_in_run.is_none() && !p.estimate_applies);
        let p = progress(&claim(ClaimStatus::Paid, ClaimKind::Transfer), &all);
        assert!(p.to_come.is_empty() && !p.waits_for_run);
        assert_eq!(p.paid_in_run.as_deref(), Some("ZF2027000001"));
        let p = progress(&claim(ClaimStatus::Refused, ClaimKind::Transfer), &all);
        assert!(p.to_come.is_empty() && p.decided && p.paid_in_run.is_none());
    }
}
