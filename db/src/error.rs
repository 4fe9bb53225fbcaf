//! What a service refuses or fails with.
//!
//! A refusal is typed: one enum per area (accounts, households, enrolment,
//! payments, claims, payment runs, documents, the school roster), each
//! variant with a stable code, the key of its message in the catalogue, and
//! a [`Kind`] that says how it is answered over HTTP. Only
//! [`Error::Database`] is a fault; everything else is the user's to read.

use policy::eligibility::RefusalReason;
use policy::idcard::IdError;
use policy::params::RulesError;
use thiserror::Error;

/// How a refusal is answered: the HTTP status follows from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The input cannot be read or is out of range (400).
    BadInput,
    /// Someone else changed the record first, or it exists already (409).
    Conflict,
    /// A file or body beyond its limit (413).
    TooLarge,
    /// Well-formed, but a rule of the scheme says no (422).
    Rule,
    /// Too many of something in too short a time (429).
    TooMany,
}

impl Kind {
    pub fn status(self) -> u16 {
        match self {
            Kind::BadInput => 400,
            Kind::Conflict => 409,
            Kind::TooLarge => 413,
            Kind::Rule => 422,
            Kind::TooMany => 429,
        }
    }
}

/// Declares one area's refusals: `Variant = "code" => Kind,`.
macro_rules! refusals {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal => $kind:ident,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Error)]
        pub enum $name {
            $($(#[$vmeta])* #[error($code)] $variant,)*
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The stable code: the key of the message, and what `?error=` carries.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
            pub fn kind(self) -> Kind {
                match self { $($name::$variant => Kind::$kind,)* }
            }
        }
        impl From<$name> for Error {
            fn from(r: $name) -> Error {
                Error::Refused(Refusal::$name(r))
            }
        }
    };
}

refusals! {
    /// A field that cannot be read, in any form.
    InputError {
        Request = "request" => BadInput,
        RequestKey = "request_key" => BadInput,
        Date = "date" => BadInput,
        Amount = "amount" => BadInput,
        /// A minus sign before an amount of money paid or billed.
        AmountNegative = "amount_negative" => BadInput,
        Billed = "billed" => BadInput,
        Name = "name" => BadInput,
        /// A person's name beyond `households::MAX_NAME_CHARS`.
        NameTooLong = "name_too_long" => BadInput,
        /// An address beyond `households::MAX_ADDRESS_CHARS`.
        AddressTooLong = "address_too_long" => BadInput,
        Kind = "kind" => BadInput,
        Person = "person" => BadInput,
        Household = "household" => BadInput,
        Year = "year" => BadInput,
        PolicyYear = "policy_year" => BadInput,
        IdNumber = "id_number" => BadInput,
        ReasonRequired = "reason_required" => BadInput,
        PersonFacts = "person_facts" => BadInput,
        Explanation = "explanation" => BadInput,
        EvidenceCode = "evidence_code" => BadInput,
        Months = "months" => BadInput,
        Sha256 = "sha256" => BadInput,
        PaidOn = "paid_on" => BadInput,
        /// A unique constraint of the database: the record is there already.
        AlreadyExists = "already_exists" => Conflict,
        /// The record moved on since the page was shown (a race between two people).
        StateChanged = "state_changed" => Conflict,
    }
}

refusals! {
    /// User accounts and log-in.
    AccountError {
        Username = "username" => BadInput,
        UsernameTaken = "username_taken" => Conflict,
        Password = "password" => BadInput,
        PasswordTooShort = "password_too_short" => BadInput,
        /// Beyond `accounts::MAX_PASSWORD_LEN`: hashing a huge password is work
        /// a stranger could make the server do.
        PasswordTooLong = "password_too_long" => BadInput,
        /// The new password is the one it replaces (after a reset: the temporary one).
        PasswordUnchanged = "password_unchanged" => BadInput,
        /// Changing one's password needs the current one, typed right.
        CurrentPassword = "current_password" => BadInput,
        DisplayName = "display_name" => BadInput,
        DisplayNameTooLong = "display_name_too_long" => BadInput,
        /// An administrator does not disable their own account (nobody may be left to re-enable it).
        OwnAccount = "own_account" => Rule,
        Role = "role" => BadInput,
        OrgRequired = "org_required" => BadInput,
        OrgUnknown = "org_unknown" => BadInput,
        OrgWrongKind = "org_wrong_kind" => BadInput,
        HouseholdRequired = "household_required" => BadInput,
    }
}

refusals! {
    /// Organisations: offices, schools, agencies.
    OrgError {
        OrgName = "org_name" => BadInput,
        OrgKind = "org_kind" => BadInput,
        OrgCounty = "org_county" => Rule,
    }
}

refusals! {
    /// Households and persons.
    HouseholdError {
        PersonExists = "person_exists" => Conflict,
        NameDiffers = "name_differs" => Rule,
    }
}

refusals! {
    /// Enrolment, evidence and pre-registration (E1–E17).
    EnrolmentError {
        AlreadyEnrolled = "already_enrolled" => Conflict,
        EvidenceAlreadyAccepted = "evidence_already_accepted" => Conflict,
        EvidenceMissing = "evidence_missing" => Rule,
        MakerChecker = "maker_checker" => Rule,
        WrongRegistrar = "wrong_registrar" => Rule,
        NotApproved = "not_approved" => Rule,
    }
}

refusals! {
    /// Premiums: notices, payments, the provider, declarations, cards, refunds.
    PaymentError {
        AlreadyPaid = "already_paid" => Conflict,
        OnlineUnavailable = "online_payment_unavailable" => Rule,
        AmountMismatch = "amount_mismatch" => BadInput,
        BadSignature = "bad_signature" => BadInput,
        Notification = "notification" => BadInput,
        SimulatorKey = "simulator_key" => BadInput,
        LateEnrolment = "late_enrolment" => Rule,
        NothingToPay = "nothing_to_pay" => Rule,
        NotAnOverpayment = "not_an_overpayment" => Rule,
        NothingToDeclare = "nothing_to_declare" => Rule,
        DeclarationChanged = "declaration_changed" => Conflict,
        CardPending = "card_pending" => Conflict,
        NoCardsPending = "no_cards_pending" => Rule,
        CardListChanged = "card_list_changed" => Conflict,
    }
}

refusals! {
    /// Claims: emergency reports, prior approvals, filing, the two reviews, fraud.
    ClaimError {
        CareInFuture = "care_in_future" => BadInput,
        CareDates = "care_dates" => BadInput,
        Hospital = "hospital" => BadInput,
        HospitalGrade = "hospital_grade" => BadInput,
        Disease = "disease" => BadInput,
        Cause = "cause" => BadInput,
        EarlierAdmissions = "earlier_admissions" => BadInput,
        InCatalogue = "in_catalogue" => BadInput,
        Facts = "facts" => BadInput,
        AgentName = "agent_name" => BadInput,
        AgentIdNumber = "agent_id_number" => BadInput,
        AgentRelation = "agent_relation" => BadInput,
        BankAccount = "bank_account" => BadInput,
        AccountName = "account_name" => BadInput,
        DocumentKind = "document_kind" => BadInput,
        InterestRate = "interest_rate" => BadInput,
        FraudOn = "fraud_on" => BadInput,
        EmergencyReportLate = "emergency_report_late" => Rule,
        ApprovalLate = "approval_late" => Rule,
        ApprovalAfterCare = "approval_after_care" => Rule,
        BelowSpecialItemThreshold = "below_special_item_threshold" => Rule,
        AlreadyDecided = "already_decided" => Conflict,
        NotAPupil = "not_a_pupil" => Rule,
        SpecialClaimOneMonth = "special_claim_one_month" => Rule,
        SpecialDiseaseNotApproved = "special_disease_not_approved" => Rule,
        ClaimUnderReview = "claim_under_review" => Conflict,
        DocumentsMissing = "documents_missing" => Rule,
        SameReviewer = "same_reviewer" => Rule,
        ClaimNotPaid = "claim_not_paid" => Conflict,
        AlreadyRepaid = "already_repaid" => Conflict,
        InterestRateUnset = "interest_rate_unset" => Rule,
    }
}

refusals! {
    /// Monthly payment runs (B19): prepared by one person, released by another.
    RunError {
        RunEmpty = "run_empty" => Rule,
        RunWindow = "run_window" => Rule,
        SamePerson = "same_person" => Rule,
        RunReleased = "run_released" => Conflict,
        RunWindowNotOpen = "run_window_not_open" => Rule,
        RunNotReleased = "run_not_released" => Conflict,
    }
}

refusals! {
    /// Uploaded documents (photos and scans).
    DocumentError {
        DocumentType = "document_type" => BadInput,
        DocumentTooLarge = "document_too_large" => TooLarge,
        /// An upload with no file in it ("no file chosen", not "not an image").
        DocumentMissing = "document_missing" => BadInput,
        /// The file says it is one type (its name or content type) and its
        /// bytes are another: a PDF named .jpg, a PNG sent as image/jpeg.
        DocumentTypeMismatch = "document_type_mismatch" => BadInput,
        /// An image whose header declares more pixels than any photo has.
        DocumentPixels = "document_pixels" => TooLarge,
    }
}

refusals! {
    /// The school roster: the file, and each row of it.
    RosterError {
        FileMissing = "file_missing" => BadInput,
        FileKind = "file_kind" => BadInput,
        FileEmpty = "file_empty" => BadInput,
        FileHeader = "file_header" => BadInput,
        FileTooBig = "file_too_big" => TooLarge,
        FileTooManyRows = "file_too_many_rows" => TooLarge,
        /// More columns than a roster can have (a sheet reaching column XFD).
        FileTooWide = "file_too_wide" => TooLarge,
        /// A workbook that unpacks to far more than its size (a zip bomb).
        FileUnpacksTooBig = "file_unpacks_too_big" => TooLarge,
        PupilOfOtherSchool = "pupil_of_other_school" => Conflict,
        NotOurPupil = "not_our_pupil" => Rule,
        MissingIdNumber = "missing_id_number" => BadInput,
        MissingName = "missing_name" => BadInput,
        DuplicateInFile = "duplicate_in_file" => BadInput,
        EnrolledElsewhere = "enrolled_elsewhere" => Conflict,
        BadHukou = "bad_hukou" => BadInput,
        BadYesNo = "bad_yes_no" => BadInput,
        BadDisabilityGrade = "bad_disability_grade" => BadInput,
    }
}

refusals! {
    /// What the policy engine refuses to compute (its `RulesError`).
    RulesRefusal {
        UnknownYear = "unknown_year" => Rule,
        PolicyParams = "policy_params" => BadInput,
        IdMismatch = "id_mismatch" => BadInput,
        BadField = "bad_field" => BadInput,
    }
}

refusals! {
    /// Opening a household at the desk, and the family's sign-up with its code (#16).
    OpenError {
        AddressRequired = "address_required" => BadInput,
        HukouType = "hukou_type" => BadInput,
        Relation = "member_relation" => BadInput,
        Phone = "contact_phone" => BadInput,
        /// The head first, and only one head.
        HeadRequired = "head_required" => BadInput,
        TooManyMembers = "too_many_members" => BadInput,
        /// The same identity number twice in one form.
        DuplicateInForm = "duplicate_in_form" => BadInput,
        /// Wrong, used, revoked or expired, or no member has that number: all alike.
        ActivationCode = "activation_code" => Rule,
    }
}

refusals! {
    /// Settings read at start (never shown to a user of the pages).
    SetupError {
        DatabaseUrl = "database_url" => BadInput,
    }
}

/// Every refusal of the portal, by area: the enum, its code, kind and the
/// list of all, from one list of the areas above.
macro_rules! by_area {
    ($($area:ident),* $(,)?) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Error)]
        pub enum Refusal {
            $(#[error(transparent)] $area($area),)*
            /// An identity number that fails the national standard's checks.
            #[error("identity number: {0}")]
            Id(IdError),
            /// Not eligible for the scheme (E2–E4).
            #[error("not eligible: {}", .0.code())]
            Eligibility(RefusalReason),
        }

        impl Refusal {
            pub fn code(self) -> &'static str {
                match self {
                    $(Refusal::$area(r) => r.code(),)*
                    Refusal::Id(e) => id_code(e),
                    Refusal::Eligibility(r) => r.code(),
                }
            }

            pub fn kind(self) -> Kind {
                match self {
                    $(Refusal::$area(r) => r.kind(),)*
                    Refusal::Id(_) => Kind::BadInput,
                    Refusal::Eligibility(_) => Kind::Rule,
                }
            }

            /// Every refusal there is, for the catalogue's completeness test.
            pub fn all() -> Vec<Refusal> {
                let mut all = Vec::new();
                $(all.extend($area::ALL.iter().map(|r| Refusal::$area(*r)));)*
                all.extend(
                    [
                        IdError::BadLength,
                        IdError::BadCharacter,
                        IdError::BadChecksum,
                        IdError::BadBirthDate,
                        IdError::BadRegion,
                    ]
                    .map(Refusal::Id),
                );
                all.extend(RefusalReason::ALL.iter().map(|r| Refusal::Eligibility(*r)));
                all
            }
        }
    };
}

refusals! {
    /// Signing up on one's own phone, one-time codes, a resident's password
    /// reset and the pre-registration of a whole new household.
    SignupError {
        Phone = "phone" => BadInput,
        /// The phone has had its codes this hour.
        TooManyCodes = "too_many_codes" => TooMany,
        CodeWrong = "code_wrong" => BadInput,
        CodeExpired = "code_expired" => BadInput,
        CodeUsed = "code_used" => Conflict,
        /// Too many wrong codes: this code is spent.
        CodeAttempts = "code_attempts" => TooMany,
        /// No SMS gateway is configured (production without one).
        CodesUnavailable = "codes_unavailable" => Rule,
        /// The account already belongs to a household.
        HasHousehold = "has_household" => Rule,
        Relation = "relation" => BadInput,
        OfficeUnknown = "office_unknown" => BadInput,
        /// Members are added after the household's office and address.
        ApplicationMissing = "application_missing" => BadInput,
        /// A new household needs its head among its members.
        HeadMissing = "head_missing" => Rule,
        HeadTwice = "head_twice" => Rule,
    }
}

refusals! {
    /// Statistical reports.
    ReportRefusal {
        /// A submitted report never changes: a correction is a new version.
        Submitted = "report_submitted" => Conflict,
        /// The same person signed twice (T10).
        SamePerson = "report_same_person" => Rule,
        /// The preparer, then the section head, then the agency head.
        OutOfOrder = "report_out_of_order" => Rule,
        AlreadySigned = "report_already_signed" => Conflict,
        /// A change beyond the threshold without its written explanation (T9).
        Unexplained = "report_unexplained" => Rule,
        /// Only the agency's head (an administrator) signs last.
        AgencyHead = "report_agency_head" => Rule,
        /// Only a submitted report is corrected, and with a reason.
        NotSubmitted = "report_not_submitted" => Rule,
        CorrectionReason = "correction_reason" => BadInput,
        /// T16: the agency head approves what another person put forward.
        PublicationSamePerson = "publication_same_person" => Rule,
        PublicationAgencyHead = "publication_agency_head" => Rule,
        AlreadyPublished = "already_published" => Conflict,
        /// T4: a report falls due 0 to 90 days after its period.
        DueDays = "report_due_days" => BadInput,
        /// T5: the weekly return is charged to the county agency's own staff.
        WeeklyPreparer = "weekly_preparer" => BadInput,
        /// T14: who receives the figures and why, both written.
        ReleaseFields = "release_fields" => BadInput,
        /// T14: the statistics head (an administrator of the same agency,
        /// not the one who asked) approves a release.
        ReleaseApprover = "release_approver" => Rule,
        /// T14: figures go out only once approved, and only of a submitted report.
        ReleaseNotApproved = "release_not_approved" => Rule,
    }
}

by_area!(
    InputError,
    AccountError,
    OrgError,
    HouseholdError,
    EnrolmentError,
    PaymentError,
    ClaimError,
    RunError,
    DocumentError,
    RosterError,
    RulesRefusal,
    SetupError,
    SignupError,
    OpenError,
    ReportRefusal,
);

/// The codes of identity-number refusals carry an `id:` prefix, so that
/// "bad_length" of an ID is never confused with another field's.
fn id_code(e: IdError) -> &'static str {
    match e {
        IdError::BadLength => "id:bad_length",
        IdError::BadCharacter => "id:bad_character",
        IdError::BadChecksum => "id:bad_checksum",
        IdError::BadBirthDate => "id:bad_birth_date",
        IdError::BadRegion => "id:bad_region",
    }
}

#[derive(Debug, Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("account locked")]
    Locked { until_ms: i64 },
    #[error("database: {0}")]
    Database(sqlx::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A stable lower-snake-case code, the key of the user-facing message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::Forbidden => "forbidden",
            Error::Refused(r) => r.code(),
            Error::Locked { .. } => "account_locked",
            Error::Database(_) => "internal",
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Error::NotFound => 404,
            Error::Forbidden => 403,
            Error::Refused(r) => r.kind().status(),
            Error::Locked { .. } => 429,
            Error::Database(_) => 500,
        }
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}

impl From<IdError> for Error {
    fn from(e: IdError) -> Self {
        Error::Refused(Refusal::Id(e))
    }
}

impl From<RefusalReason> for Error {
    fn from(r: RefusalReason) -> Self {
        Error::Refused(Refusal::Eligibility(r))
    }
}

impl From<RulesError> for Error {
    fn from(e: RulesError) -> Self {
        match e {
            RulesError::UnknownYear(_) => RulesRefusal::UnknownYear.into(),
            RulesError::Parse(_)
            | RulesError::InvalidParams { .. }
            | RulesError::DuplicateYear(_) => RulesRefusal::PolicyParams.into(),
            RulesError::InvalidId(id) => id.into(),
            RulesError::IdMismatch { .. } => RulesRefusal::IdMismatch.into(),
            RulesError::InvalidInput(_) | RulesError::DateOutOfRange => {
                RulesRefusal::BadField.into()
            }
        }
    }
}

/// A blocking task (file I/O, parsing an upload) that panicked or was
/// cancelled: a fault, like the database's.
impl From<tokio::task::JoinError> for Error {
    fn from(e: tokio::task::JoinError) -> Self {
        Error::Database(sqlx::Error::Io(std::io::Error::other(e)))
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => Error::NotFound,
            // A unique constraint is a user's "already exists", never a 500.
            sqlx::Error::Database(d) if d.is_unique_violation() => InputError::AlreadyExists.into(),
            _ => Error::Database(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_unique_and_snake_case() {
        let mut seen = HashSet::new();
        for r in Refusal::all() {
            let code = r.code();
            assert!(seen.insert(code), "{code} is used twice");
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == ':'),
                "{code}"
            );
        }
        assert!(seen.len() > 100, "{}", seen.len());
    }

    #[test]
    fn statuses_follow_the_kind() {
        let e: Error = ClaimError::EmergencyReportLate.into();
        assert_eq!((e.code(), e.status()), ("emergency_report_late", 422));
        let e: Error = InputError::StateChanged.into();
        assert_eq!(e.status(), 409);
        let e: Error = DocumentError::DocumentTooLarge.into();
        assert_eq!(e.status(), 413);
        let e: Error = IdError::BadChecksum.into();
        assert_eq!((e.code(), e.status()), ("id:bad_checksum", 400));
        assert_eq!(Error::Forbidden.status(), 403);
        assert_eq!(Error::Locked { until_ms: 0 }.status(), 429);
        assert_eq!(Error::Database(sqlx::Error::PoolTimedOut).status(), 500);
    }
}
