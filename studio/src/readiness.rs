//! What an export still lacks for Open edX's import validator (olxcleaner), told to the author
//! before they export: olxcleaner requires a course `start`, an `end` and a `course_image` that
//! exists among the course's files. SZPoN itself runs without them (a course open with no end
//! is normal here), so they are hints, not errors.

use xblock_compat::olx::Course;

/// Fluent keys of the missing settings, in the order the schedule and about pages ask for them.
pub fn missing_for_open_edx(course: &Course) -> Vec<&'static str> {
    let root = course.root_block();
    let set = |name: &str| root.field(name).is_some_and(|v| !v.trim().is_empty());
    let mut out = Vec::new();
    if !set("start") {
        out.push("studio-ready-start");
    }
    if !set("end") {
        out.push("studio-ready-end");
    }
    let image = root.field("course_image").filter(|v| !v.trim().is_empty());
    if image.is_none_or(|i| course.resolve_static(&i).is_none()) {
        out.push("studio-ready-image");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_course_lacks_dates_and_image() {
        let mut c = crate::create::new_course("o", "c", "r", "T", "pl").unwrap();
        assert_eq!(
            missing_for_open_edx(&c),
            [
                "studio-ready-start",
                "studio-ready-end",
                "studio-ready-image"
            ]
        );
        let root = c.root;
        xblock_compat::olx::edit::set_field(
            &mut c.blocks[root],
            "start",
            Some("2026-01-01T00:00:00Z"),
        );
        xblock_compat::olx::edit::set_field(
            &mut c.blocks[root],
            "end",
            Some("2027-01-01T00:00:00Z"),
        );
        xblock_compat::olx::edit::set_field(&mut c.blocks[root], "course_image", Some("a.png"));
        // Named but not among the files: still missing.
        assert_eq!(missing_for_open_edx(&c), ["studio-ready-image"]);
    }
}
