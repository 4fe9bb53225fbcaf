//! A report's figures as read: each named in the reader's language (a
//! name, and for a figure of one category, tier or kind that code's name),
//! money in yuan, grouped in the sections access is set for (T15).

use leptos::prelude::*;
use policy::reports::figures::Section;
use policy::reports::Change;

use crate::components::yuan;
use crate::i18n::{code_name, t, use_lang, Lang, ReportMsg};

/// The name of a figure's first word.
fn base_name(base: &str) -> ReportMsg {
    match base {
        "enrolments_approved" => ReportMsg::FigEnrolmentsApproved,
        "enrolled" => ReportMsg::FigEnrolled,
        "unpaid" => ReportMsg::FigUnpaid,
        "interrupted" => ReportMsg::FigInterrupted,
        "premiums" => ReportMsg::FigPremiums,
        "premiums_fen" => ReportMsg::FigPremiumsFen,
        "premiums_online_fen" => ReportMsg::FigPremiumsOnlineFen,
        "premiums_cash_fen" => ReportMsg::FigPremiumsCashFen,
        "back_payments" => ReportMsg::FigBackPayments,
        "back_payments_fen" => ReportMsg::FigBackPaymentsFen,
        "claims_filed" => ReportMsg::FigClaimsFiled,
        "claims_approved" => ReportMsg::FigClaimsApproved,
        "claims_refused" => ReportMsg::FigClaimsRefused,
        "payout_fen" => ReportMsg::FigPayoutFen,
        "paid_out_fen" => ReportMsg::FigPaidOutFen,
        "fund_income_fen" => ReportMsg::FigFundIncomeFen,
        "fund_spending_fen" => ReportMsg::FigFundSpendingFen,
        "fund_income_ytd_fen" => ReportMsg::FigFundIncomeYtdFen,
        "fund_spending_ytd_fen" => ReportMsg::FigFundSpendingYtdFen,
        "fund_balance_ytd_fen" => ReportMsg::FigFundBalanceYtdFen,
        "subsidy_persons" => ReportMsg::FigSubsidyPersons,
        "subsidy_central_fen" => ReportMsg::FigSubsidyCentralFen,
        "subsidy_region_fen" => ReportMsg::FigSubsidyRegionFen,
        "subsidy_league_fen" => ReportMsg::FigSubsidyLeagueFen,
        "subsidy_county_fen" => ReportMsg::FigSubsidyCountyFen,
        _ => ReportMsg::FigSubsidyFen,
    }
}

/// The name of figure `key` in `lang`: `enrolled.student` is "参保人数（本年度） · 在校学生".
pub fn figure_label(lang: Lang, key: &str) -> String {
    match key.split_once('.') {
        Some((base, code)) => format!("{} · {}", base_name(base).text(lang), code_name(lang, code)),
        None => base_name(key).text(lang).to_string(),
    }
}

pub fn section_name(section: Section) -> ReportMsg {
    match section {
        Section::Persons => ReportMsg::SecPersons,
        Section::Premiums => ReportMsg::SecPremiums,
        Section::Claims => ReportMsg::SecClaims,
        Section::Fund => ReportMsg::SecFund,
        Section::Subsidy => ReportMsg::SecSubsidy,
    }
}

/// A figure as read: money in yuan, counts as they are.
fn value(key: &str, v: i64) -> String {
    if key.ends_with("_fen") {
        yuan(v)
    } else {
        v.to_string()
    }
}

/// The figures of a version beside the previous period's, section by
/// section; a section the reader may not see is not there at all.
#[component]
pub fn Figures(changes: Vec<Change>, explanations: Vec<(String, String)>) -> impl IntoView {
    let lang = use_lang();
    let sections: Vec<(Section, Vec<Change>)> = Section::ALL
        .iter()
        .map(|s| {
            (
                *s,
                changes
                    .iter()
                    .filter(|c| Section::of(&c.key) == *s)
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, c)| !c.is_empty())
        .collect();
    view! {
        <table class="list" data-testid="report-figures">
            <thead><tr>
                <th>{t(ReportMsg::Figure)}</th><th class="num">{t(ReportMsg::Previous)}</th>
                <th class="num">{t(ReportMsg::Current)}</th><th class="num">{t(ReportMsg::Change)}</th><th>{t(ReportMsg::Explanation)}</th>
            </tr></thead>
            {sections.into_iter().map(|(section, changes)| view! {
                <tbody data-section=section.code()>
                    <tr><th colspan="5" scope="rowgroup">{t(section_name(section))}</th></tr>
                    {changes.into_iter().map(|c| {
                        let why = explanations.iter().find(|(k, _)| *k == c.key).map(|(_, v)| v.clone()).unwrap_or_default();
                        view! {
                            <tr data-figure=c.key.clone() class:warn=c.flagged>
                                <td>{figure_label(lang, &c.key)}</td>
                                <td class="num">{c.before.map(|b| value(&c.key, b)).unwrap_or_default()}</td>
                                <td class="num">{value(&c.key, c.after)}</td>
                                <td class="num">{c.percent.map(|p| format!("{p}%")).unwrap_or_default()}</td>
                                <td>{why}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            }).collect_view()}
        </table>
    }
}
