//! Access control as a pure function of (user, organisation, role).
//!
//! Handlers never compare role names themselves: they ask [`Principal::can`] for a
//! [`Permission`] in one organisation, so the whole policy is this file and its tests.

use serde::Serialize;

/// A person's role inside one organisation. A person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    Author,
    Official,
    Learner,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administrator,
        Role::Author,
        Role::Official,
        Role::Learner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Author => "author",
            Role::Official => "official",
            Role::Learner => "learner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Something a person may want to do inside an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the organisation's member list and departments.
    ViewOrganisation,
    /// Rename, add departments, add and remove members and roles.
    ManageOrganisation,
    /// Create and edit the organisation's courses in Studio.
    AuthorCourses,
    /// Use the virtual office (tasks, calendars, booking).
    UseOffice,
    /// Take the organisation's organisation-only courses.
    Learn,
}

fn role_grants(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Administrator => true,
        Role::Author => matches!(permission, ViewOrganisation | AuthorCourses | Learn),
        Role::Official => matches!(permission, ViewOrganisation | UseOffice | Learn),
        Role::Learner => matches!(permission, Learn),
    }
}

/// Who is asking: the signed-in person with their roles in every organisation.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub user_id: String,
    pub is_platform_admin: bool,
    /// (organisation id, role) pairs.
    pub roles: Vec<(String, Role)>,
}

impl Principal {
    /// Whether this person may do `permission` in organisation `organisation_id`.
    /// Platform administrators may do everything everywhere.
    pub fn can(&self, organisation_id: &str, permission: Permission) -> bool {
        self.is_platform_admin
            || self
                .roles
                .iter()
                .any(|(org, role)| org == organisation_id && role_grants(*role, permission))
    }

    /// Whether the permission is held in at least one organisation (for navigation links).
    pub fn can_anywhere(&self, permission: Permission) -> bool {
        self.is_platform_admin || self.roles.iter().any(|(_, r)| role_grants(*r, permission))
    }

    pub fn roles_in(&self, organisation_id: &str) -> Vec<Role> {
        self.roles
            .iter()
            .filter(|(o, _)| o == organisation_id)
            .map(|(_, r)| *r)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(roles: &[(&str, Role)]) -> Principal {
        Principal {
            user_id: "u".into(),
            is_platform_admin: false,
            roles: roles.iter().map(|(o, r)| (o.to_string(), *r)).collect(),
        }
    }

    #[test]
    fn roles_stay_inside_their_organisation() {
        let admin_a = p(&[("A", Role::Administrator)]);
        assert!(admin_a.can("A", Permission::ManageOrganisation));
        assert!(!admin_a.can("B", Permission::ManageOrganisation));
        assert!(!admin_a.can("B", Permission::Learn));
    }

    #[test]
    fn the_matrix() {
        use Permission::*;
        let cases = [
            (Role::Author, AuthorCourses, true),
            (Role::Author, ManageOrganisation, false),
            (Role::Author, UseOffice, false),
            (Role::Official, UseOffice, true),
            (Role::Official, AuthorCourses, false),
            (Role::Learner, Learn, true),
            (Role::Learner, ViewOrganisation, false),
            (Role::Learner, UseOffice, false),
        ];
        for (role, perm, expected) in cases {
            assert_eq!(
                p(&[("A", role)]).can("A", perm),
                expected,
                "{role:?} {perm:?}"
            );
        }
    }

    #[test]
    fn platform_admin_can_everything() {
        let mut admin = p(&[]);
        admin.is_platform_admin = true;
        assert!(admin.can("any", Permission::ManageOrganisation));
        assert!(admin.can_anywhere(Permission::AuthorCourses));
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
