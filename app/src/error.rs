//! The one error type of server functions: a code that crosses the wire and
//! becomes a message in the user's language.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Msg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("cross-site request")]
    CrossSite,
    /// A refusal the user can fix; the code names the message.
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("account locked")]
    Locked,
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) => 422,
            AppError::Locked => 429,
            AppError::Internal => 500,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let msg = match self {
            AppError::Unauthorized => Msg::ErrUnauthorized,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::CrossSite => Msg::ErrCrossSite,
            AppError::Locked => Msg::LoginLocked,
            AppError::Internal => Msg::ErrInternal,
            AppError::Invalid(code) => match code.as_str() {
                "login_refused" => Msg::LoginRefused,
                "username" => Msg::ErrUsername,
                "username_taken" => Msg::ErrUsernameTaken,
                "password_too_short" => Msg::ErrPasswordShort,
                "display_name" => Msg::ErrDisplayName,
                "org_required" => Msg::ErrOrgRequired,
                "org_unknown" => Msg::ErrOrgUnknown,
                "org_wrong_kind" => Msg::ErrOrgWrongKind,
                "household_required" => Msg::ErrHouseholdRequired,
                "id:bad_length" => Msg::ErrIdLength,
                "id:bad_character" => Msg::ErrIdChar,
                "id:bad_checksum" | "id_number" => Msg::ErrIdChecksum,
                "id:bad_birth_date" => Msg::ErrIdBirth,
                "id:bad_region" => Msg::ErrIdRegion,
                "policy_year" => Msg::ErrPolicyYear,
                "amount" => Msg::ErrAmount,
                "policy_params" => Msg::ErrPolicyParams,
                "already_enrolled" => Msg::ErrAlreadyEnrolled,
                "evidence_missing" => Msg::ErrEvidenceMissing,
                "maker_checker" => Msg::ErrMakerChecker,
                "wrong_registrar" => Msg::ErrWrongRegistrar,
                "wrong_status" => Msg::ErrWrongStatus,
                "reason_required" => Msg::ErrReasonRequired,
                "person_facts" => Msg::ErrPersonFacts,
                "person_exists" => Msg::ErrPersonExists,
                "document_type" => Msg::ErrDocumentType,
                "document_too_large" => Msg::ErrDocumentTooLarge,
                "evidence_code" => Msg::ErrEvidenceCode,
                "name" => Msg::ErrDisplayName,
                "unknown_year" => Msg::ErrPolicyYear,
                "ncms_enrolled" => Msg::RefNcms,
                "employee_insured" => Msg::RefEmployee,
                "hukou_moved_in_too_recently" => Msg::RefHukou,
                "working_age_not_covered" => Msg::RefWorkingAge,
                "already_paid" => Msg::ErrAlreadyPaid,
                "card_pending" => Msg::ErrCardPending,
                "no_cards_pending" => Msg::ErrNoCardsPending,
                "late_enrolment" => Msg::ErrLateEnrolment,
                "nothing_to_declare" => Msg::ErrNothingToDeclare,
                "not_approved" => Msg::ErrNotApproved,
                "nothing_to_pay" => Msg::ErrNothingToPay,
                "forbidden" => Msg::ErrForbidden,
                "file_too_big" => Msg::ErrFileTooBig,
                "file_kind" => Msg::ErrFileKind,
                "file_empty" => Msg::ErrFileEmpty,
                "file_header" => Msg::ErrFileHeader,
                "file_too_many_rows" => Msg::ErrFileTooManyRows,
                "file_missing" => Msg::ErrFileMissing,
                "missing_id_number" => Msg::ErrMissingIdNumber,
                "missing_name" => Msg::ErrMissingName,
                "duplicate_in_file" => Msg::ErrDuplicateInFile,
                "enrolled_elsewhere" => Msg::ErrEnrolledElsewhere,
                "pupil_of_other_school" => Msg::ErrPupilOfOtherSchool,
                "name_differs" => Msg::ErrNameDiffers,
                "bad_hukou" => Msg::ErrBadHukou,
                "bad_yes_no" => Msg::ErrBadYesNo,
                "bad_disability_grade" => Msg::ErrBadDisabilityGrade,
                "not_our_pupil" => Msg::ErrNotOurPupil,
                _ => Msg::ErrInvalid,
            },
        };
        msg.text(lang).to_string()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_) => AppError::Invalid("request".into()),
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<db::Error> for AppError {
    fn from(e: db::Error) -> Self {
        match e {
            db::Error::NotFound => AppError::NotFound,
            db::Error::Forbidden => AppError::Forbidden,
            db::Error::Locked { .. } => AppError::Locked,
            db::Error::Conflict(c) | db::Error::Invalid(c) => AppError::Invalid(c.to_string()),
            db::Error::Database(err) => {
                tracing::error!(error = %err, "database error");
                AppError::Internal
            }
        }
    }
}
