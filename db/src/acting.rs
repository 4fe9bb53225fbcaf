//! A resident acting for another member of their household (#16): elderly
//! parents and children who have no phone are paid for, and claimed for, by
//! the member who has one. Who acted, and as what to the member, is recorded
//! with the act and shown to the office.
//!
//! The relation is said as the claim form's 经办人 says it (`self`, `spouse`,
//! `parent`, `child`, `relative`, `other`: the one acting is the member's
//! ...), derived here from each one's relation to the head of the household.

use sqlx::Row;

use crate::household_open::Relation;
use crate::scope::Actor;
use crate::{Db, Result};

/// What the one acting is to the member, from each one's relation to the
/// head. Where the household's records cannot tell (two children of the
/// head are siblings, a grandchild and a parent of the head...), a relative.
pub fn acting_as(actor_to_head: Relation, member_to_head: Relation) -> &'static str {
    use Relation as R;
    match (actor_to_head, member_to_head) {
        (R::Other, _) | (_, R::Other) => "other",
        (R::Head, R::Spouse) | (R::Spouse, R::Head) => "spouse",
        // The head's child is the head's (and the head's spouse's) child.
        (R::Head | R::Spouse, R::Child) => "parent",
        (R::Child, R::Head | R::Spouse) => "child",
        (R::Head, R::Parent) => "child",
        (R::Parent, R::Head) => "parent",
        (R::Child, R::Grandchild) => "parent",
        (R::Grandchild, R::Child) => "child",
        _ => "relative",
    }
}

/// What the resident `actor` is to the person they act for: `self` when it
/// is their own record; None when the account's own person is not known
/// (an account made before accounts carried an ID number).
pub async fn relation_to_person(
    db: &Db,
    actor: &Actor,
    person_id: i64,
) -> Result<Option<&'static str>> {
    let own = sqlx::query(
        "SELECT p.id, m.relation FROM users u JOIN persons p ON p.id_number = u.id_number
         LEFT JOIN household_members m ON m.person_id = p.id WHERE u.id = $1",
    )
    .bind(actor.user_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(own) = own else {
        return Ok(None);
    };
    let own_id: i64 = own.try_get("id")?;
    if own_id == person_id {
        return Ok(Some("self"));
    }
    let own_relation: Option<String> = own.try_get("relation")?;
    let member: Option<String> =
        sqlx::query_scalar("SELECT relation FROM household_members WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(&db.pool)
            .await?;
    let known = |r: Option<String>| r.as_deref().and_then(Relation::from_code);
    Ok(Some(match (known(own_relation), known(member)) {
        (Some(a), Some(m)) => acting_as(a, m),
        // Members of a household recorded before relations were: family.
        _ => "relative",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Relation as R;

    #[test]
    fn relations_are_said_from_the_member_s_side() {
        // A daughter pays for her father, the head.
        assert_eq!(acting_as(R::Child, R::Head), "child");
        // The head pays for his mother and for his son.
        assert_eq!(acting_as(R::Head, R::Parent), "child");
        assert_eq!(acting_as(R::Head, R::Child), "parent");
        assert_eq!(acting_as(R::Spouse, R::Child), "parent");
        assert_eq!(acting_as(R::Spouse, R::Head), "spouse");
        // Siblings, and what the records cannot tell.
        assert_eq!(acting_as(R::Child, R::Child), "relative");
        assert_eq!(acting_as(R::Grandparent, R::Grandchild), "relative");
        assert_eq!(acting_as(R::Other, R::Head), "other");
    }
}
