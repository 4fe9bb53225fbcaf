//! The frame around every page: header with the portal's name, the user, the
//! language switch and log-out; and small shared pieces.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::auth::{current_user, hard_navigate, Logout, SetElderMode, SetLanguage, UserView};
use crate::error::AppError;
use crate::i18n::{t, use_lang, Lang, Msg};

/// The logged-in user, loaded once per page and shared by context.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<UserView>, AppError>>);

pub fn use_current_user() -> Resource<Result<Option<UserView>, AppError>> {
    expect_context::<CurrentUser>().0
}

/// An amount of fen as yuan with two decimals (`1234.50`), for the pages
/// rendered on the server only.
#[cfg(feature = "ssr")]
pub fn yuan(fen: i64) -> String {
    policy::money::Money::from_fen(fen).to_string()
}

/// An amount of fen with its unit, as residents read it: `1234.50 元`.
#[cfg(feature = "ssr")]
pub fn yuan_unit(fen: i64) -> String {
    crate::i18n::yuan_text(&yuan(fen))
}

/// One step of an explanation as a resident reads it: the plain words
/// first (Chinese with full-width punctuation), the article they rest on
/// after them in small print, `(B3)`.
pub fn explained_step(article: String, zh: &str, en: &str) -> impl IntoView {
    let lang = use_lang();
    let text = match lang {
        Lang::En => en.to_string(),
        _ => crate::i18n::full_width(zh),
    };
    view! { <li>{text} " " <span class="article">"(" {article} ")"</span></li> }
}

pub fn role_label(role: &str) -> &'static str {
    t(match role {
        "resident" => Msg::RoleResident,
        "office_agent" => Msg::RoleOfficeAgent,
        "school_agent" => Msg::RoleSchoolAgent,
        "agency_reviewer" => Msg::RoleAgencyReviewer,
        _ => Msg::RoleAgencyAdmin,
    })
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    provide_context(CurrentUser(user));
    view! {
        <a class="skip" href="#main">{t(Msg::SkipToContent)}</a>
        // One row on a 360 px phone: the name of the portal, the log-in (or
        // who is signed in), and a menu that opens without JavaScript
        // (<details>) holding the rest.
        <header class="topbar">
            <a class="brand" href="/" rel="external">{t(Msg::AppShort)}</a>
            <nav class="topnav" aria-label=t(Msg::Home)>
                <Suspense fallback=|| view! { <a class="button secondary" href="/login" rel="external">{t(Msg::Login)}</a> }>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! { <UserMenu user=u/> }.into_any(),
                            _ => view! {
                                <a class="button secondary" href="/login" rel="external">{t(Msg::Login)}</a>
                                <details class="menu">
                                    <summary>{t(Msg::Menu)}</summary>
                                    <div class="menu-body">
                                        <a class="navlink" href="/check" rel="external">{t(Msg::CheckNav)}</a>
                                        <LanguageSwitch/>
                                        <ElderSwitch/>
                                    </div>
                                </details>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </nav>
        </header>
        <main id="main" class="page">{children()}</main>
    }
}

#[component]
fn UserMenu(user: UserView) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(path)) = logout.value().get() {
            hard_navigate(&path);
        }
    });
    view! {
        <details class="menu">
            <summary>{t(Msg::Menu)}</summary>
            <div class="menu-body">
                <span class="who" title=t(Msg::LoggedInAs)>{user.display_name.clone()} " · " {role_label(&user.role)}</span>
                <a class="navlink" href="/check" rel="external">{t(Msg::CheckNav)}</a>
                <a class="navlink" href="/account/password" rel="external">{t(Msg::ChangePasswordNav)}</a>
                <LanguageSwitch/>
                <ElderSwitch/>
            </div>
        </details>
        <ActionForm action=logout>
            <button type="submit" class="secondary">{t(Msg::Logout)}</button>
        </ActionForm>
    }
}

/// 长辈模式 on or off: a form that posts and comes back, remembered in a
/// cookie like the language.
#[component]
fn ElderSwitch() -> impl IntoView {
    let set = ServerAction::<SetElderMode>::new();
    let path = use_location().pathname;
    let on = crate::i18n::elder_mode();
    Effect::new(move |_| {
        if let Some(Ok(path)) = set.value().get() {
            hard_navigate(&path);
        }
    });
    view! {
        <ActionForm action=set>
            <input type="hidden" name="on" value=if on { "0" } else { "1" }/>
            <input type="hidden" name="back" value=move || path.get()/>
            <button type="submit" class="secondary" data-testid="elder-switch">
                {t(if on { Msg::StandardMode } else { Msg::ElderMode })}
            </button>
        </ActionForm>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let set = ServerAction::<SetLanguage>::new();
    let path = use_location().pathname;
    let current = use_lang();
    Effect::new(move |_| {
        if let Some(Ok(path)) = set.value().get() {
            hard_navigate(&path);
        }
    });
    // One button for each other language, named in that language.
    Lang::ALL
        .iter()
        .copied()
        .filter(|l| *l != current)
        .map(|other| {
            view! {
                <ActionForm action=set>
                    <input type="hidden" name="lang" value=other.code()/>
                    <input type="hidden" name="back" value=move || path.get()/>
                    <button type="submit" class="secondary" lang=other.html_lang() aria-label=t(Msg::LanguageLabel)>
                        {other.name()}
                    </button>
                </ActionForm>
            }
        })
        .collect_view()
}

/// What a server-rendered page shows for its data: the log-in prompt, the
/// error in the user's language, or `body` over the data.
#[cfg(feature = "ssr")]
pub fn loaded<T>(r: Result<T, AppError>, body: impl FnOnce(T) -> AnyView) -> AnyView {
    match r {
        Ok(d) => body(d),
        Err(e) => {
            page_status(e.status());
            match e {
                AppError::Unauthorized => view! { <NeedLogin/> }.into_any(),
                e => view! {
                    <ErrorNote error=e/>
                    <p><a class="button secondary" href="/" rel="external">{t(Msg::BackHome)}</a></p>
                }
                .into_any(),
            }
        }
    }
}

/// The status of the page being rendered: it is rendered whole before it
/// is sent (SsrMode::Async), so its status can still say what its body says
/// (a refusal shown on the page is its 4xx).
#[cfg(feature = "ssr")]
pub fn page_status(status: u16) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
}

/// An error from a server function, in the user's language.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let text = error.message(use_lang());
    view! { <p class="error" role="alert">{text}</p> }
}

/// Shown when a page needs a log-in.
#[component]
pub fn NeedLogin() -> impl IntoView {
    view! {
        <section class="card">
            <p>{t(Msg::ErrUnauthorized)}</p>
            <a class="button" href="/login" rel="external">{t(Msg::Login)}</a>
        </section>
    }
}

/// The circumstances that decide eligibility and tier, as tick boxes named
/// after the RULES-API `person` fields, and the disability grade. `ticked`
/// and `grade` show what is already recorded (an office correcting an entry).
#[component]
pub fn PersonFactChecks(
    with_in_school: bool,
    disability_id: &'static str,
    #[prop(optional)] ticked: Vec<String>,
    #[prop(optional_no_strip)] grade: Option<u8>,
) -> impl IntoView {
    let check = |name: &'static str, label: Msg| {
        let on = ticked.iter().any(|t| t == name);
        view! { <label class="check"><input type="checkbox" name=name value="on" checked=on/> {t(label)}</label> }
    };
    view! {
        <fieldset>
            <legend>{t(Msg::Circumstances)}</legend>
            {with_in_school.then(|| check("in_school", Msg::FactInSchool))}
            {check("employee_insured", Msg::FactEmployeeInsured)}
            {check("flexible_employment", Msg::FactFlexible)}
            {check("ncms_enrolled", Msg::FactNcms)}
            {check("migrant_worker_child", Msg::FactMigrantChild)}
            {check("dibao", Msg::FactDibao)}
            {check("low_income_household", Msg::FactLowIncome)}
        </fieldset>
        <label for=disability_id>{t(Msg::FactDisability)}</label>
        <select id=disability_id name="disability_grade">
            <option value="">{t(Msg::NoneOption)}</option>
            {(1..=4u8).map(|g| view! { <option value=g.to_string() selected=grade == Some(g)>{g}</option> }).collect_view()}
        </select>
    }
}

/// The search box, on the staff's homes and on the search page itself.
#[component]
pub fn FindPerson(#[prop(optional, into)] value: String) -> impl IntoView {
    view! {
        <form method="get" action="/people" class="find" role="search">
            <label for="find-q">{t(Msg::FindPerson)}</label>
            <input id="find-q" name="q" type="search" value=value maxlength="40" autocomplete="off"
                aria-describedby="find-help"/>
            <button type="submit">{t(Msg::FindPersonGo)}</button>
            <p id="find-help" class="muted">{t(Msg::FindPersonHelp)}</p>
        </form>
    }
}
