//! Who may learn which course. Checked in every learner handler through [`decide`].

use platform::access::Permission;
use platform::web::context::RequestContext;
use studio::store::Visibility;

use super::cache::LoadedCourse;
use super::learner::Learner;

/// The outcome for one request and course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// May learn, as this learner. `staff` sees everything (authors of the organisation).
    Learn { learner: Learner, staff: bool },
    /// Public course, anonymous visitor without a learner cookie: offer "learn without an account".
    StartAnonymously,
    /// Sign in first (enrolled-only and organisation courses).
    SignIn,
    /// Signed in but not enrolled in an enrolled-only course: offer enrolment.
    Enroll,
    /// Organisation course, and the person is not a member.
    Forbidden,
}

/// Authors of the course's organisation, platform administrators and the course's team (every
/// team role, while the person belongs to the course's office; see `studio::team`). The team
/// comes from the course cache: no query here.
pub fn is_staff(ctx: &RequestContext, course: &LoadedCourse) -> bool {
    let Some(u) = &ctx.user else { return false };
    let org = course.row.organisation_id.as_deref();
    let office = match org {
        Some(org) => u.principal.can(org, Permission::AuthorCourses),
        None => u.principal.is_platform_admin,
    };
    office
        || (studio::team::team_counts(&u.principal, org)
            && course
                .team
                .read()
                .expect("course team")
                .iter()
                .any(|(id, _)| *id == u.user.id))
}

fn is_member(ctx: &RequestContext, course: &LoadedCourse) -> bool {
    let Some(u) = &ctx.user else { return false };
    match &course.row.organisation_id {
        Some(org) => u.principal.is_platform_admin || !u.principal.roles_in(org).is_empty(),
        None => u.principal.is_platform_admin,
    }
}

/// Decides access. `anonymous` is the visitor's valid anonymous learner id, `enrolled` whether
/// the signed-in user is enrolled.
pub fn decide(
    ctx: &RequestContext,
    course: &LoadedCourse,
    anonymous: Option<String>,
    enrolled: bool,
) -> Access {
    let staff = is_staff(ctx, course);
    if let Some(u) = &ctx.user {
        let learner = Learner::User(u.user.id.clone());
        if staff {
            return Access::Learn { learner, staff };
        }
        return match course.row.visibility() {
            Visibility::Public => Access::Learn { learner, staff },
            Visibility::Enrolled if enrolled => Access::Learn { learner, staff },
            Visibility::Enrolled => Access::Enroll,
            Visibility::Organisation if is_member(ctx, course) => Access::Learn { learner, staff },
            Visibility::Organisation => Access::Forbidden,
        };
    }
    match (course.row.visibility(), anonymous) {
        (Visibility::Public, Some(id)) => Access::Learn {
            learner: Learner::Anonymous(id),
            staff: false,
        },
        (Visibility::Public, None) => Access::StartAnonymously,
        _ => Access::SignIn,
    }
}

/// Whether the about page may be shown at all (organisation courses are hidden from others).
pub fn may_see_about(ctx: &RequestContext, course: &LoadedCourse) -> bool {
    course.row.visibility() != Visibility::Organisation || is_member(ctx, course)
}
