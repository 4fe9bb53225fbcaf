//! Finding a person: one search box for an identity number (whole, or its
//! last six characters, as people read them off a card), a name, a mobile
//! number given at the desk, or a household number, narrowed in SQL to what the actor may see, as every
//! read is (office: its households; school: its pupils; county agency: its
//! county; league: all).

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::scope::{Actor, Role};
use crate::{Backend, Db, Error, Result};

/// At most this many answers: a search, not a list.
pub const MAX_FOUND: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub household_id: Option<i64>,
    pub household_number: Option<String>,
    pub county_code: String,
}

/// What the box holds, read the way a clerk types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    IdNumber(String),
    IdTail(String),
    /// A mainland mobile number: 11 digits from 1.
    Phone(String),
    HouseholdNumber(String),
    Name(String),
}

impl Query {
    /// Spaces, full-width digits and a small `x` are what people type; an
    /// empty box is no query.
    pub fn read(text: &str) -> Option<Query> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let id = policy::idcard::normalise(text);
        let id_like = |s: &str| {
            s.chars()
                .enumerate()
                .all(|(i, c)| c.is_ascii_digit() || (c == 'X' && i + 1 == s.len()))
        };
        if id.len() == 18 && id_like(&id) {
            return Some(Query::IdNumber(id));
        }
        if id.len() == 6 && id_like(&id) {
            return Some(Query::IdTail(id));
        }
        if id.len() == 11 && id.starts_with('1') && id.chars().all(|c| c.is_ascii_digit()) {
            return Some(Query::Phone(id));
        }
        if text.chars().any(|c| c.is_ascii_digit())
            && !text.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
        {
            return Some(Query::HouseholdNumber(text.to_string()));
        }
        Some(Query::Name(text.chars().take(40).collect()))
    }
}

/// The persons the actor may see that match `text`, by name.
pub async fn search(db: &Db, actor: &Actor, text: &str) -> Result<Vec<Found>> {
    if actor.role == Role::Resident {
        return Err(Error::Forbidden);
    }
    let Some(query) = Query::read(text) else {
        return Ok(vec![]);
    };
    // The identity number and the household number have their unique
    // indexes, the last six characters an expression index (0011), a name's
    // beginning the name index: on SQLite through the range [prefix, next
    // prefix), since its LIKE ignores case and so cannot use the index (the
    // range makes the match case-sensitive, as PostgreSQL's LIKE is); on
    // PostgreSQL through a text_pattern_ops index (0015).
    let mut range = None;
    let (matcher, value) = match query {
        Query::IdNumber(id) => ("p.id_number = $1", id),
        Query::IdTail(tail) => ("substr(p.id_number, 13) = $1", tail),
        // The phone given for a member at the desk (household_members, 0012).
        Query::Phone(phone) => (
            "p.id IN (SELECT hm.person_id FROM household_members hm WHERE hm.phone = $1)",
            phone,
        ),
        Query::HouseholdNumber(n) => ("h.number = $1", n),
        // A name's beginning: 王秀 finds 王秀兰. `%` and `_` typed are letters.
        Query::Name(name) => {
            if db.backend == Backend::Sqlite {
                range = next_prefix(&name).map(|end| (name.clone(), end));
            }
            (
                "p.name LIKE $1 ESCAPE '\\'",
                format!(
                    "{}%",
                    name.replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                ),
            )
        }
    };
    let (range_sql, first) = match range {
        Some(_) => (" AND p.name >= $3 AND p.name < $4", 5),
        None => ("", 3),
    };
    let clause = actor.person_clause(first);
    let sql = format!(
        "SELECT p.id, p.name, p.id_number, p.household_id, h.number AS household_number, p.county_code
         FROM persons p LEFT JOIN households h ON h.id = p.household_id
         WHERE {matcher}{range_sql} AND ({}) ORDER BY p.name, p.id LIMIT $2",
        clause.sql
    );
    let mut q = sqlx::query(&sql).bind(value).bind(MAX_FOUND);
    if let Some((from, to)) = range {
        q = q.bind(from).bind(to);
    }
    let rows = clause.bind_query(q).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(Found {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                id_number: r.try_get("id_number")?,
                household_id: r.try_get("household_id")?,
                household_number: r.try_get("household_number")?,
                county_code: r.try_get("county_code")?,
            })
        })
        .collect()
}

/// The first string after every string that starts with `prefix`, in
/// SQLite's binary order: the prefix with its last character's successor.
fn next_prefix(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    let last = chars.pop()?;
    let next = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32)?;
    chars.push(next);
    Some(chars.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::{next_prefix, Query};

    #[test]
    fn a_prefix_range_ends_after_every_name_it_starts() {
        assert_eq!(next_prefix("王秀").as_deref(), Some("王私"));
        assert_eq!(next_prefix("a").as_deref(), Some("b"));
        assert!("王秀兰" < next_prefix("王秀").unwrap().as_str());
        assert!("王秀\u{10FFFF}" < next_prefix("王秀").unwrap().as_str());
        assert_eq!(next_prefix(""), None);
    }

    #[test]
    fn the_box_reads_what_clerks_type() {
        assert_eq!(
            Query::read(" 152201 19600315 262X "),
            Some(Query::IdNumber("15220119600315262X".into()))
        );
        assert_eq!(
            Query::read("１５２２０１１９６００３１５２６２x"),
            Some(Query::IdNumber("15220119600315262X".into()))
        );
        assert_eq!(Query::read("15262x"), Some(Query::IdTail("15262X".into())));
        assert_eq!(
            Query::read("３１５２６２"),
            Some(Query::IdTail("315262".into()))
        );
        assert_eq!(Query::read("王秀"), Some(Query::Name("王秀".into())));
        assert_eq!(
            Query::read("138 0013 8000"),
            Some(Query::Phone("13800138000".into()))
        );
        assert_eq!(
            Query::read("１３８００１３８０００"),
            Some(Query::Phone("13800138000".into()))
        );
        assert_eq!(
            Query::read("152201-O01-2026-0001"),
            Some(Query::HouseholdNumber("152201-O01-2026-0001".into()))
        );
        assert_eq!(Query::read("   "), None);
    }
}
