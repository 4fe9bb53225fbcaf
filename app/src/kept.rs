//! Forms that keep what was typed. When the server refuses a plain form
//! post, it does not redirect (which would lose every field): it renders
//! the form's page again, as a GET of that page with `?error=<code>`, with
//! the posted fields in context ([`Posted`]) and a 4xx status. The page's
//! inputs take their values from [`kept`] and [`chosen`], and the message
//! stands next to the field it concerns ([`FieldError`]). Files chosen in a
//! file input cannot be kept by any browser after a full-page post; the
//! pages say so. Server only: the pages with such forms are rendered on the
//! server only.

use leptos::prelude::*;

/// The fields of a refused post and the refusal's code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Posted {
    pub values: Vec<(String, String)>,
    pub error: String,
}

impl Posted {
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The field the refusal concerns: a field named like the refusal's
    /// code (`bank_account`, `agent_id_number`, `hospital_grade`), or the
    /// field a general code stands for (`person` for `person_id`, `date`
    /// for the first date that does not read as one).
    pub fn field(&self) -> Option<&str> {
        let has = |name: &str| self.value(name).is_some();
        let code = self.error.as_str();
        if has(code) {
            return self
                .values
                .iter()
                .find(|(k, _)| k == code)
                .map(|(k, _)| k.as_str());
        }
        let candidates: &[&str] = match code {
            "person" => &["person_id"],
            "billed" | "amount_negative" => &["billed", "amount", "in_catalogue"],
            "amount" => &["amount"],
            "date" => &[
                "care_from",
                "care_to",
                "occurred_on",
                "care_on",
                "fraud_on",
                "confirmed_on",
            ],
            "special_claim_one_month" => &["care_to"],
            "emergency_report_late" => &["occurred_on"],
            "id_number" | "id:bad_length" | "id:bad_checksum" | "id:bad_characters" => {
                &["id_number"]
            }
            "name" | "name_too_long" => &["name"],
            _ => &[],
        };
        candidates
            .iter()
            .filter_map(|c| self.values.iter().find(|(k, _)| k == c))
            .find(|(_, v)| code != "date" || v.trim().parse::<chrono::NaiveDate>().is_err())
            .map(|(k, _)| k.as_str())
    }
}

/// The name of the hidden field that says which form of a page was posted
/// (a page may hold two forms with the same field names).
pub const FORM_FIELD: &str = "_form";

/// The refused post of `form` being shown again, if any: a post that names
/// no form counts for every form of its page.
pub fn posted(form: &str) -> Option<Posted> {
    use_context::<Posted>().filter(|p| p.value(FORM_FIELD).is_none_or(|f| f == form))
}

/// The hidden field naming `form`, for pages with more than one.
pub fn form_name(form: &'static str) -> impl IntoView {
    view! { <input type="hidden" name=FORM_FIELD value=form/> }
}

/// The value to show in field `name` of `form`: the one posted when the
/// post was refused, else `default`.
pub fn kept(form: &str, name: &str, default: &str) -> String {
    posted(form)
        .and_then(|p| p.value(name).map(str::to_string))
        .unwrap_or_else(|| default.to_string())
}

/// Whether `value` is the chosen option of `name` in `form`: the posted one
/// after a refusal, else `default`.
pub fn chosen(form: &str, name: &str, value: &str, default: bool) -> bool {
    match posted(form).as_ref().and_then(|p| p.value(name)) {
        Some(v) => v == value,
        None => default,
    }
}

/// Whether box `name` of `form` is ticked: as posted after a refusal (a box
/// not ticked is not posted), else `default`.
pub fn ticked(form: &str, name: &str, default: bool) -> bool {
    match posted(form) {
        Some(p) => p.value(name).is_some(),
        None => default,
    }
}

/// `aria-invalid` for the field the refusal concerns.
pub fn invalid(form: &str, name: &str) -> Option<&'static str> {
    posted(form)
        .filter(|p| p.field() == Some(name))
        .map(|_| "true")
}

/// The refusal's words under the field it concerns, if it concerns `name`.
#[component]
pub fn FieldError(form: &'static str, name: &'static str) -> impl IntoView {
    posted(form).filter(|p| p.field() == Some(name)).map(|p| {
        view! {
            <p class="field-error" id=format!("{name}-error") data-field=name>
                {crate::i18n::claim_error(&p.error)}
            </p>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(error: &str, values: &[(&str, &str)]) -> Posted {
        Posted {
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            error: error.into(),
        }
    }

    #[test]
    fn a_refusal_finds_its_field() {
        let p = posted(
            "agent_id_number",
            &[("agent_id_number", "1522"), ("bank_account", "6222")],
        );
        assert_eq!(p.field(), Some("agent_id_number"));
        assert_eq!(p.value("bank_account"), Some("6222"));
        let p = posted(
            "date",
            &[("care_from", "2026-06-01"), ("care_to", "2026-06-31")],
        );
        assert_eq!(p.field(), Some("care_to"));
        let p = posted("person", &[("person_id", "")]);
        assert_eq!(p.field(), Some("person_id"));
        assert_eq!(posted("request", &[("kind", "x")]).field(), None);
    }
}
