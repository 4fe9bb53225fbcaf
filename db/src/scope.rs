//! Who is asking, and what they may see. Every query over households and
//! persons takes its WHERE clause from here, so the rule lives in one place:
//! an office sees its households, a school its pupils, a resident their own
//! household, a county agency its county, the league agency everything.

use serde::{Deserialize, Serialize};

policy::coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Role {
        Resident = "resident",
        OfficeAgent = "office_agent",
        SchoolAgent = "school_agent",
        AgencyReviewer = "agency_reviewer",
        AgencyAdmin = "agency_admin",
    }
}

impl Role {
    pub fn is_agency(self) -> bool {
        matches!(self, Role::AgencyReviewer | Role::AgencyAdmin)
    }

    /// The kind of organisation an account of this role must belong to.
    pub fn org_kind(self) -> Option<&'static [&'static str]> {
        match self {
            Role::Resident => None,
            Role::OfficeAgent => Some(&["office"]),
            Role::SchoolAgent => Some(&["school"]),
            Role::AgencyReviewer | Role::AgencyAdmin => Some(&["county_agency", "league_agency"]),
        }
    }
}

/// The person behind a request, as resolved from their session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_code: Option<String>,
    /// The county of the actor's organisation; `None` for the league agency and residents.
    pub county_code: Option<String>,
    pub household_id: Option<i64>,
}

/// A WHERE fragment over a `households` row aliased `h`, with its bound values.
pub struct Clause {
    pub sql: String,
    pub binds: Vec<Bind>,
}

/// A value bound into a scope clause.
#[derive(Debug, Clone)]
pub enum Bind {
    Int(i64),
    Text(String),
}

impl Clause {
    /// Binds this clause's values onto an untyped query, after whatever it already has.
    pub fn bind_query<'q>(
        &self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(t) => q.bind(t.clone()),
            };
        }
        q
    }

    /// Binds this clause's values onto a query, after whatever it already has.
    pub fn bind_to<'q, O>(
        &self,
        mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(t) => q.bind(t.clone()),
            };
        }
        q
    }
}

impl Actor {
    /// The office or school an agent acts for: the organisation whose cash,
    /// declarations and card lists are theirs. Anyone else is refused.
    pub fn agent_org(&self) -> crate::Result<String> {
        match self.role {
            Role::OfficeAgent | Role::SchoolAgent => {
                self.org_code.clone().ok_or(crate::Error::Forbidden)
            }
            _ => Err(crate::Error::Forbidden),
        }
    }

    /// Whether the actor may see the papers of an organisation (in `county`):
    /// its own agents, and the agency of its county or the league.
    pub fn sees_org(&self, org_code: &str, county: Option<&str>) -> bool {
        match self.role {
            Role::OfficeAgent | Role::SchoolAgent => self.org_code.as_deref() == Some(org_code),
            Role::AgencyAdmin | Role::AgencyReviewer => {
                self.county_code.is_none() || self.county_code.as_deref() == county
            }
            Role::Resident => false,
        }
    }

    /// [`Actor::sees_org`] as a WHERE fragment, over an organisation column
    /// and its county column, so that lists are narrowed in SQL.
    pub fn org_clause(&self, first: usize, org_col: &str, county_col: &str) -> Clause {
        let p = format!("${first}");
        match self.role {
            Role::OfficeAgent | Role::SchoolAgent => Clause {
                sql: format!("{org_col} = {p}"),
                binds: vec![Bind::Text(self.org_code.clone().unwrap_or_default())],
            },
            Role::AgencyAdmin | Role::AgencyReviewer => match &self.county_code {
                None => Clause {
                    sql: "1 = 1".into(),
                    binds: vec![],
                },
                Some(c) => Clause {
                    sql: format!("{county_col} = {p}"),
                    binds: vec![Bind::Text(c.clone())],
                },
            },
            Role::Resident => Clause {
                sql: "1 = 0".into(),
                binds: vec![],
            },
        }
    }

    pub fn is_league(&self) -> bool {
        self.role.is_agency() && self.county_code.is_none()
    }

    /// Which households this actor may see. Schools reach persons, not
    /// households, so for them this admits only households holding one of
    /// their pupils. `first` is the number of the first placeholder to use.
    pub fn household_clause(&self, first: usize) -> Clause {
        let p = format!("${first}");
        match self.role {
            Role::Resident => match self.household_id {
                Some(id) => Clause { sql: format!("h.id = {p}"), binds: vec![Bind::Int(id)] },
                None => Clause { sql: "1 = 0".into(), binds: vec![] },
            },
            Role::OfficeAgent => Clause {
                sql: format!("h.office_code = {p}"),
                binds: vec![Bind::Text(self.org_code.clone().unwrap_or_default())],
            },
            Role::SchoolAgent => Clause {
                sql: format!("EXISTS (SELECT 1 FROM persons sp WHERE sp.household_id = h.id AND sp.school_code = {p})"),
                binds: vec![Bind::Text(self.org_code.clone().unwrap_or_default())],
            },
            Role::AgencyReviewer | Role::AgencyAdmin => match &self.county_code {
                None => Clause { sql: "1 = 1".into(), binds: vec![] },
                Some(c) => Clause { sql: format!("h.county_code = {p}"), binds: vec![Bind::Text(c.clone())] },
            },
        }
    }

    /// Which persons (aliased `p`) this actor may see.
    pub fn person_clause(&self, first: usize) -> Clause {
        let ph = format!("${first}");
        match self.role {
            Role::Resident => match self.household_id {
                Some(id) => Clause { sql: format!("p.household_id = {ph}"), binds: vec![Bind::Int(id)] },
                None => Clause { sql: "1 = 0".into(), binds: vec![] },
            },
            Role::OfficeAgent => Clause {
                sql: format!("EXISTS (SELECT 1 FROM households ph WHERE ph.id = p.household_id AND ph.office_code = {ph})"),
                binds: vec![Bind::Text(self.org_code.clone().unwrap_or_default())],
            },
            Role::SchoolAgent => Clause {
                sql: format!("p.school_code = {ph}"),
                binds: vec![Bind::Text(self.org_code.clone().unwrap_or_default())],
            },
            Role::AgencyReviewer | Role::AgencyAdmin => match &self.county_code {
                None => Clause { sql: "1 = 1".into(), binds: vec![] },
                Some(c) => Clause { sql: format!("p.county_code = {ph}"), binds: vec![Bind::Text(c.clone())] },
            },
        }
    }
}

/// Why a scoped read found nothing: `Forbidden` if the row exists but lies
/// outside the actor's scope, `NotFound` if it does not exist at all.
pub async fn refusal(db: &crate::Db, table: &'static str, id: i64) -> crate::Error {
    let sql = format!("SELECT id FROM {table} WHERE id = $1");
    match sqlx::query_scalar::<_, i64>(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await
    {
        Ok(Some(_)) => crate::Error::Forbidden,
        Ok(None) => crate::Error::NotFound,
        Err(e) => e.into(),
    }
}
