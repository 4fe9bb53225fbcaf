//! The catalogue on the server: each language's Fluent file, parsed once into
//! a concurrent `fluent-bundle`, and each message formatted once.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use super::{BrowserTable, Lang, Msg, RULES_CODES};

pub(super) struct Language {
    pub(super) bundle: FluentBundle<FluentResource>,
    /// Every message formatted once, its `{ $name }` placeables left as they
    /// are. Leaked once at start: a fixed number of short texts per language,
    /// so `t` can hand out `&'static str`.
    texts: HashMap<String, &'static str>,
}

static CATALOGUE: LazyLock<Vec<Language>> =
    LazyLock::new(|| Lang::ALL.iter().map(|l| Language::load(*l)).collect());

/// The browser's table of each language as JSON for a `<script>` element.
static BROWSER_JSON: LazyLock<Vec<String>> =
    LazyLock::new(|| Lang::ALL.iter().map(|l| table_json(*l)).collect());

pub(super) fn language(lang: Lang) -> &'static Language {
    &CATALOGUE[lang as usize]
}

/// The Fluent file of `lang` parsed, with the errors of its lines if any.
pub(super) fn parse(
    lang: Lang,
) -> Result<FluentResource, (FluentResource, Vec<fluent_syntax::parser::ParserError>)> {
    FluentResource::try_new(lang.source().to_string())
}

impl Language {
    fn load(lang: Lang) -> Language {
        // A line that does not parse is left out (the tests forbid them).
        let resource = parse(lang).unwrap_or_else(|(resource, _)| resource);
        let ids: Vec<String> = resource
            .entries()
            .filter_map(|e| match e {
                ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        let mut bundle =
            FluentBundle::new_concurrent(lang.html_lang().parse().into_iter().collect());
        // No Unicode isolation marks around placeables: the browser's
        // formatter adds none either.
        bundle.set_use_isolating(false);
        // A second message of the same id is refused (the tests forbid them).
        let _ = bundle.add_resource(resource);
        let texts = ids
            .into_iter()
            .filter_map(|id| {
                let text = template(&bundle, &id)?;
                Some((id, &*Box::leak(text.into_boxed_str())))
            })
            .collect();
        Language { bundle, texts }
    }
}

/// The message `id` formatted with each of its variables standing for itself
/// (`{ $days }`), for `fill` to replace.
fn template(bundle: &FluentBundle<FluentResource>, id: &str) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut names = BTreeSet::new();
    variables(pattern, &mut names);
    let mut args = FluentArgs::new();
    for name in names {
        args.set(name, FluentValue::from(format!("{{ ${name} }}")));
    }
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, Some(&args), &mut errors)
            .into_owned(),
    )
}

/// The text of message `id` in `lang`, if the catalogue has it.
pub(super) fn text(lang: Lang, id: &str) -> Option<&'static str> {
    language(lang).texts.get(id).copied()
}

/// Message `id` in `lang` formatted with `args` (as strings: a number is
/// written by the caller, the same way on both sides).
pub(super) fn format(lang: Lang, id: &str, args: &[(&str, String)]) -> Option<String> {
    let bundle = &language(lang).bundle;
    let pattern = bundle.get_message(id)?.value()?;
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, FluentValue::from(value.as_str()));
    }
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned(),
    )
}

/// The variables a pattern uses, its select expressions' variants included.
pub(super) fn variables<'s>(pattern: &ast::Pattern<&'s str>, names: &mut BTreeSet<&'s str>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables<'s>(expression: &ast::Expression<&'s str>, names: &mut BTreeSet<&'s str>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                variables(&variant.value, names);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, names),
    }
}

fn inline_variables<'s>(inline: &ast::InlineExpression<&'s str>, names: &mut BTreeSet<&'s str>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name);
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for a in &arguments.positional {
                inline_variables(a, names);
            }
            for a in &arguments.named {
                inline_variables(&a.value, names);
            }
        }
        _ => {}
    }
}

/// The browser's table of `lang`: the texts of `Msg` in order and the names
/// of the RULES-API codes.
pub(super) fn browser_table(lang: Lang) -> BrowserTable {
    BrowserTable {
        msg: Msg::ALL.iter().map(|m| m.text(lang).to_string()).collect(),
        code: RULES_CODES
            .iter()
            .filter_map(|c| Some((c.to_string(), text(lang, &format!("code-{c}"))?.to_string())))
            .collect(),
        refusal: crate::error::refusal_codes()
            .into_iter()
            .filter_map(|c| {
                Some((
                    c.to_string(),
                    text(lang, &super::refusal_id(c))?.to_string(),
                ))
            })
            .collect(),
    }
}

fn table_json(lang: Lang) -> String {
    // `<` escaped, so no text can close the script element.
    serde_json::to_string(&browser_table(lang))
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// The JSON of the page language's texts for the browser, for the
/// `<script type="application/json" id="portal-i18n">` of the shell.
pub fn browser_json(lang: Lang) -> &'static str {
    BROWSER_JSON[lang as usize].as_str()
}
