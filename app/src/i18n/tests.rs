//! The catalogue files against the code: every key the code asks for is in
//! every language, no file has keys the code never asks for, each message has
//! the same variables everywhere, and the browser's table gives the server's
//! bytes.

use std::collections::BTreeSet;

use fluent_syntax::ast;

use super::catalogue::{self, variables};
use super::*;

/// Every id the code asks for: the key enums and the code tables.
fn used_ids() -> Vec<String> {
    fn ids<M: Text>(all: &[M]) -> impl Iterator<Item = String> + '_ {
        all.iter().map(|m| m.id().to_string())
    }
    ids(Msg::ALL)
        .chain(ids(PaperMsg::ALL))
        .chain(ids(ClaimMsg::ALL))
        .chain(ids(StatsMsg::ALL))
        .chain(ids(PeopleMsg::ALL))
        .chain(ids(WhyMsg::ALL))
        .chain(ids(ReportMsg::ALL))
        .chain(ids(AccountMsg::ALL))
        .chain(ids(SignupMsg::ALL))
        .chain(ids(HouseMsg::ALL))
        .chain(RULES_CODES.iter().map(|c| format!("code-{c}")))
        .chain(CLAIM_CODES.iter().map(|c| format!("code-{c}")))
        .chain(crate::error::refusal_codes().into_iter().map(refusal_id))
        .collect()
}

/// The message ids of a language's file, in order.
fn file_ids(lang: Lang) -> Vec<String> {
    let resource = match catalogue::parse(lang) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

fn the_variables(lang: Lang, id: &str) -> BTreeSet<String> {
    let bundle = &catalogue::language(lang).bundle;
    let mut names = BTreeSet::new();
    if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
        variables(pattern, &mut names);
    }
    names.into_iter().map(str::to_string).collect()
}

#[test]
fn every_language_file_parses_without_errors() {
    for lang in Lang::ALL {
        if let Err((_, errors)) = catalogue::parse(*lang) {
            panic!("{}.ftl: {errors:?}", lang.html_lang());
        }
    }
}

#[test]
fn no_language_file_has_an_id_twice() {
    for lang in Lang::ALL {
        let mut seen = BTreeSet::new();
        for id in file_ids(*lang) {
            assert!(
                seen.insert(id.clone()),
                "{}.ftl has {id} twice",
                lang.html_lang()
            );
        }
    }
}

#[test]
fn every_key_the_code_uses_is_in_every_language() {
    let used = used_ids();
    let distinct: BTreeSet<&String> = used.iter().collect();
    assert_eq!(distinct.len(), used.len(), "two keys share a Fluent id");
    for lang in Lang::ALL {
        let bundle = &catalogue::language(*lang).bundle;
        for id in &used {
            let has_value = bundle.get_message(id).and_then(|m| m.value()).is_some();
            assert!(has_value, "{}.ftl lacks {id}", lang.html_lang());
        }
    }
}

#[test]
fn no_language_file_has_keys_the_code_never_uses() {
    let used: BTreeSet<String> = used_ids().into_iter().collect();
    for lang in Lang::ALL {
        for id in file_ids(*lang) {
            assert!(
                used.contains(&id),
                "{}.ftl: {id} is used by no code",
                lang.html_lang()
            );
        }
    }
}

#[test]
fn every_message_has_the_same_variables_in_every_language() {
    let (first, others) = Lang::ALL.split_first().unwrap_or((&Lang::Zh, &[]));
    for id in used_ids() {
        let expected = the_variables(*first, &id);
        for lang in others {
            assert_eq!(
                the_variables(*lang, &id),
                expected,
                "{id} in {}.ftl",
                lang.html_lang()
            );
        }
    }
}

/// The browser fills placeables by replacing `{ $name }`: a hydrated message
/// may hold only text, such placeables and references to plain messages.
#[test]
fn hydrated_messages_hold_only_text_and_plain_variables() {
    fn plain(
        bundle: &fluent_bundle::concurrent::FluentBundle<fluent_bundle::FluentResource>,
        id: &str,
        depth: u8,
    ) -> bool {
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return false;
        };
        pattern.elements.iter().all(|e| match e {
            ast::PatternElement::TextElement { .. } => true,
            ast::PatternElement::Placeable { expression } => match expression {
                ast::Expression::Inline(ast::InlineExpression::VariableReference { .. }) => {
                    depth == 0
                }
                ast::Expression::Inline(ast::InlineExpression::MessageReference {
                    id,
                    attribute: None,
                }) => depth == 0 && plain(bundle, id.name, 1),
                _ => false,
            },
        })
    }
    let hydrated = Msg::ALL
        .iter()
        .map(|m| m.id().to_string())
        .chain(RULES_CODES.iter().map(|c| format!("code-{c}")));
    for id in hydrated {
        for lang in Lang::ALL {
            let bundle = &catalogue::language(*lang).bundle;
            assert!(
                plain(bundle, &id, 0),
                "{id} in {}.ftl is more than text and {{ $name }}",
                lang.html_lang()
            );
        }
    }
}

/// What the browser shows is what the server rendered: the table the page
/// carries gives each text, and `fill` gives Fluent's result.
#[test]
fn the_browser_table_gives_the_server_texts() {
    for lang in Lang::ALL {
        let table: BrowserTable = serde_json::from_str(browser_json(*lang)).unwrap_or_default();
        assert_eq!(table.msg.len(), Msg::ALL.len());
        for (m, text) in Msg::ALL.iter().zip(&table.msg) {
            assert_eq!(text, m.text(*lang), "{m:?}");
            assert!(
                !text.contains(['\u{2068}', '\u{2069}']),
                "{m:?} has isolation marks"
            );
            let args: Vec<(&str, String)> = the_variables(*lang, m.id())
                .iter()
                .map(|name| (leak(name), format!("<{name} 1,234.50>")))
                .collect();
            let server = catalogue::format(*lang, m.id(), &args).unwrap_or_default();
            assert_eq!(fill(text, &args), server, "{m:?}");
        }
        for c in RULES_CODES {
            let server = catalogue::text(*lang, &format!("code-{c}")).unwrap_or_default();
            assert_eq!(table.code.get(*c).map(String::as_str), Some(server), "{c}");
        }
        assert!(!browser_json(*lang).contains('<'));
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

#[test]
fn fluent_ids_are_kebab_case_with_the_prefix() {
    assert_eq!(Msg::LoginTitle.id(), "login-title");
    assert_eq!(ClaimMsg::GradeN.id(), "claims-grade-n");
    assert_eq!(Msg::Grade3.id(), "grade3");
    assert_eq!(StatsMsg::Help.id(), "stats-help");
}

#[test]
fn with_n_and_t_args_fill_named_variables() {
    assert_eq!(with_n("还剩{ $n }天", 3), "还剩3天");
    let lang = Lang::En;
    let server = catalogue::format(
        lang,
        ClaimMsg::DaysLeftTemplate.id(),
        &[("days", "2".into()), ("date", "2026-05-03".into())],
    );
    assert_eq!(
        server.as_deref(),
        Some("2 days left to report it (by 2026-05-03).")
    );
}

fn both_languages<M: Text + std::fmt::Debug>(all: &[M]) {
    for m in all {
        let zh = m.text(Lang::Zh);
        let en = m.text(Lang::En);
        assert!(!zh.is_empty() && !en.is_empty(), "{m:?}");
        assert_ne!(zh, en, "{m:?} is not translated");
    }
}

#[test]
fn every_message_has_both_languages_and_they_differ() {
    both_languages(Msg::ALL);
    both_languages(PaperMsg::ALL);
    both_languages(ClaimMsg::ALL);
    both_languages(StatsMsg::ALL);
    both_languages(PeopleMsg::ALL);
    both_languages(WhyMsg::ALL);
    both_languages(ReportMsg::ALL);
    both_languages(AccountMsg::ALL);
    both_languages(SignupMsg::ALL);
    both_languages(HouseMsg::ALL);
}

/// A text's variable is a number of the policy year (`year_args`) or one of
/// the few values callers pass themselves: a misspelt name would show.
#[test]
fn every_variable_is_a_year_parameter_or_a_callers_value() {
    let rules = policy::params::Rules::builtin();
    let year: BTreeSet<&str> = rules
        .latest()
        .map(year_values)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert!(year.contains("emergency_filing_days"));
    let callers = [
        "n", "days", "date", "count", "total", "who", "relation", "year", "subsidy", "personal",
    ];
    for lang in Lang::ALL {
        for id in used_ids() {
            for name in the_variables(*lang, &id) {
                assert!(
                    year.contains(name.as_str()) || callers.contains(&name.as_str()),
                    "{id} in {}.ftl: {{ ${name} }} is neither a parameter nor passed by a caller",
                    lang.html_lang()
                );
            }
        }
    }
}

/// The claim pages' texts that quote the year say the year's numbers.
#[test]
fn year_texts_fill_the_parameters() {
    let rules = policy::params::Rules::builtin();
    let args = rules.latest().map(year_values).unwrap_or_default();
    let text =
        catalogue::format(Lang::Zh, "refusal-emergency_report_late", &args).unwrap_or_default();
    assert!(text.starts_with("已超过3日备案期限"), "{text}");
    let text = catalogue::format(Lang::En, "refusal-below_special_item_threshold", &args)
        .unwrap_or_default();
    assert_eq!(text, "Only special items over 1000 yuan need approval.");
}
