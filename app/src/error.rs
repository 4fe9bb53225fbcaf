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
    /// A refusal: the code names the message, the status says how it is
    /// answered (400 bad input, 409 changed meanwhile or a duplicate, 413 too
    /// large, 422 refused by a rule of the scheme).
    #[error("refused: {code}")]
    Refused { code: String, status: u16 },
    #[error("account locked")]
    Locked,
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// Input the user can correct, refused by the page itself (400).
    pub fn bad_input(code: impl Into<String>) -> AppError {
        AppError::Refused {
            code: code.into(),
            status: 400,
        }
    }

    /// The code of a refusal, `None` for the other errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            AppError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Refused { status, .. } => *status,
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
            AppError::Refused { code, .. } => match code.as_str() {
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
                "state_changed" => Msg::ErrWrongStatus,
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
                code => match refusal_text(code) {
                    Some((zh, en)) => return lang.pick(zh, en).to_string(),
                    None => Msg::ErrInvalid,
                },
            },
        };
        msg.text(lang).to_string()
    }
}

/// The words of refusals that the message keys above do not name.
fn refusal_text(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "request" => (
            "请求无法识别，请刷新页面后重试。",
            "The request could not be read: reload the page and try again.",
        ),
        "request_key" => (
            "表单标识无效，请刷新页面后重新提交。",
            "The form's key is not valid: reload the page and send it again.",
        ),
        "person" => ("请选择参保人。", "Choose the insured person."),
        "household" => (
            "该人员不属于本户。",
            "This person is not a member of the household.",
        ),
        "year" => (
            "年份应为四位数字，如 2019。",
            "A year has four digits, such as 2019.",
        ),
        "explanation" => ("请填写说明。", "Write an explanation."),
        "sha256" => (
            "材料标识无效，请重新上传。",
            "The document's key is not valid: upload it again.",
        ),
        "paid_on" => (
            "缴费日期不正确：不能早于开单日期，也不能晚于今天。",
            "The payment date is not valid: not before the order, not after today.",
        ),
        "already_exists" => ("该记录已存在。", "This record exists already."),
        "state_changed" => (
            "该记录已被他人处理或状态已变化，请刷新后查看。",
            "Someone else has dealt with this record, or its status changed: reload to see it.",
        ),
        "password" => (
            "请填写密码（不超过128个字符）。",
            "Enter a password (at most 128 characters).",
        ),
        "role" => ("角色不正确。", "Not a role of the portal."),
        "org_name" => ("请填写单位名称。", "Enter the organisation's name."),
        "org_kind" => ("单位类别不正确。", "Not a kind of organisation."),
        "org_county" => (
            "该单位不在本旗县（市、区）。",
            "The organisation is not in this county.",
        ),
        "evidence_already_accepted" => (
            "该证明材料已审核通过，无需重复提交。",
            "This evidence is accepted already.",
        ),
        "amount_mismatch" => (
            "支付金额与缴费通知单金额不符。",
            "The amount paid does not match the notice.",
        ),
        "bad_signature" => (
            "支付通知的签名无效，未予记录。",
            "The payment notification's signature is not valid: nothing was recorded.",
        ),
        "notification" => (
            "支付通知无法识别，未予记录。",
            "The payment notification could not be read: nothing was recorded.",
        ),
        "simulator_key" => (
            "支付模拟器的密钥未设置或太短。",
            "The payment simulator's key is missing or too short.",
        ),
        "declaration_changed" => (
            "待申报的缴费已有变化，请重新查看后再申报。",
            "The payments to declare have changed: look at them again, then declare.",
        ),
        "card_list_changed" => (
            "待制卡名单已有变化，请重新查看后再提交。",
            "The list of cards to make has changed: look at it again, then send it.",
        ),
        "hospital_grade" => ("请选择医疗机构等级。", "Choose the hospital's grade."),
        "cause" => ("请选择受伤原因。", "Choose the cause of the injury."),
        "earlier_admissions" => (
            "本年度此前住院次数应为0或正整数。",
            "Earlier admissions this year is 0 or a whole number.",
        ),
        "facts" => (
            "审核事实不完整，请先完成初审。",
            "The review's facts are incomplete: finish the first review.",
        ),
        "fraud_on" => ("查实日期不正确。", "The date of the finding is not valid."),
        "id_mismatch" => (
            "填写的出生日期或性别与身份证号码不符。",
            "The birth date or sex does not match the identity number.",
        ),
        "bad_field" => (
            "有一项填写不正确，请检查后重试。",
            "A field is not valid: check it and try again.",
        ),
        "database_url" => ("数据库地址不正确。", "The database address is not valid."),
        _ => return None,
    })
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_) => AppError::bad_input("request"),
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
            db::Error::Refused(r) => AppError::Refused {
                code: r.code().to_string(),
                status: r.kind().status(),
            },
            db::Error::Database(err) => {
                tracing::error!(error = %err, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// Every refusal of the services has its own words in every language,
    /// never the generic "输入有误".
    #[test]
    fn every_refusal_has_its_own_message_in_every_language() {
        let mut missing = Vec::new();
        for r in db::error::Refusal::all() {
            let e = AppError::from(db::Error::from(r));
            for lang in [Lang::Zh, Lang::En] {
                let generic = Msg::ErrInvalid.text(lang);
                // The claim pages' table falls back to the general one.
                let owner = leptos::prelude::Owner::new();
                let text = owner.with(|| {
                    leptos::prelude::provide_context(lang);
                    crate::i18n::claim_error(r.code())
                });
                if e.message(lang) == generic && text == generic {
                    missing.push(format!("{} ({lang:?})", r.code()));
                }
            }
        }
        assert!(missing.is_empty(), "no message for: {}", missing.join(", "));
    }

    #[test]
    fn each_error_answers_its_status() {
        let refused = |r: db::error::Refusal| AppError::from(db::Error::from(r)).status();
        use db::error::*;
        assert_eq!(refused(Refusal::InputError(InputError::Date)), 400);
        assert_eq!(refused(Refusal::InputError(InputError::StateChanged)), 409);
        assert_eq!(
            refused(Refusal::DocumentError(DocumentError::DocumentTooLarge)),
            413
        );
        assert_eq!(
            refused(Refusal::ClaimError(ClaimError::EmergencyReportLate)),
            422
        );
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Locked.status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
    }
}
