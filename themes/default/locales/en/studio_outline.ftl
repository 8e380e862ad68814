## Studio: the outline editor (sections, subsections, units)

studio-outline-title = Course outline
studio-outline-lead = Sections are divided into subsections, and subsections into units with the content. Changes go to the draft: learners see the published version of the course until you publish the changes.
studio-outline-keyboard-hint = Change the order with the “Move up” and “Move down” buttons (at the start or end they move into the neighbouring section or subsection) or with “Move to…”.
studio-outline-drag-hint = With a mouse you can also drag items by the ☰ handle on the right.
studio-outline-drag = Drag to move
studio-outline-error-network = The change could not be saved. Please try again.
studio-outline-changes = { $count ->
    [one] The draft has 1 unpublished change.
   *[other] The draft has { $count } unpublished changes.
}
studio-outline-no-changes = No unpublished changes: learners see the course as it is here.
studio-outline-publish-link = Unpublished changes and publishing
studio-outline-back = Back to the course page
studio-outline-back-to-outline = Back to the course outline
studio-outline-chapters = Sections of the course
studio-outline-sequentials-in = Subsections in “{ $name }”
studio-outline-verticals-in = Units in “{ $name }”
studio-outline-kind-chapter = Section { $position }
studio-outline-kind-sequential = Subsection { $position }
studio-outline-kind-vertical = Unit { $position }
studio-outline-no-chapters = The course has no sections yet. Add the first one below.
studio-outline-no-sequentials = This section has no subsections yet.
studio-outline-no-verticals = This subsection has no units yet.
studio-outline-unnamed = { $kind ->
    [chapter] (unnamed section)
    [sequential] (unnamed subsection)
   *[other] (unnamed unit)
}

studio-outline-mark-added = New, unpublished
studio-outline-mark-moved = Moved, unpublished
studio-outline-mark-changed = Changed, unpublished
studio-outline-mark-inner = Contains unpublished changes
studio-outline-graded = Graded: { $format }
studio-outline-not-graded = Not graded
studio-outline-due = due { $date }
studio-outline-time-limit = time limit { $minutes } min
studio-outline-release = released from { $date }
studio-outline-release-chapter = Released from { $date }
studio-outline-components = { $count ->
    [one] 1 component
   *[other] { $count } components
}

studio-outline-quoted = “{ $name }”
studio-outline-for = for “{ $name }”
studio-outline-in = in “{ $name }”
studio-outline-up = Move up
studio-outline-down = Move down
studio-outline-rename = Rename
studio-outline-new-name = New name
studio-outline-save-name = Save name
studio-outline-move-to = Move to…
studio-outline-target-chapter = Target section
studio-outline-target-sequential = Target subsection
studio-outline-move-to-hint = The item goes to the end of the chosen place.
studio-outline-move = Move
studio-outline-settings = Settings
studio-outline-delete = Delete
studio-outline-new-chapter = Name of the new section
studio-outline-new-sequential = Name of the new subsection
studio-outline-new-vertical = Name of the new unit
studio-outline-add-chapter-heading = Add a section
studio-outline-add-chapter = Add section
studio-outline-add-sequential = Add subsection
studio-outline-add-vertical = Add unit

studio-outline-done-added = { $kind ->
    [chapter] Added the section “{ $name }”.
    [sequential] Added the subsection “{ $name }”.
   *[other] Added the unit “{ $name }”.
}
studio-outline-done-renamed = Renamed to “{ $name }”.
studio-outline-done-settings = Saved the settings of “{ $name }”.
studio-outline-done-moved = “{ $name }” is now { $position } of { $count } in “{ $parent }”.
studio-outline-done-first = “{ $name }” is already at the very top and cannot move up.
studio-outline-done-last = “{ $name }” is already at the very bottom and cannot move down.
studio-outline-done-deleted = { $kind ->
    [chapter] Deleted the section from the draft. Learners stop seeing it once the changes are published.
    [sequential] Deleted the subsection from the draft. Learners stop seeing it once the changes are published.
   *[other] Deleted the unit from the draft. Learners stop seeing it once the changes are published.
}

studio-outline-error-name-missing = Enter a name.
studio-outline-error-name-long = The name can have at most 200 characters.
studio-outline-error-not-allowed = This item cannot be placed there.
studio-outline-error-cycle = An item cannot be moved into itself.
studio-outline-error-no-target = The chosen place no longer exists. Reload the page and choose again.
studio-outline-error-date = Enter a date and time, e.g. 2026-12-12 23:59.
studio-outline-error-gap = This time does not exist in Poland because of the clock change. Choose another time.
studio-outline-error-format-unknown = Choose an assignment type from the list (the course's grading policy defines the types).
studio-outline-error-format-missing = Choose the assignment type the subsection is graded as.
studio-outline-error-graded-missing = Tick “The subsection is graded” or choose “Not graded” as the assignment type.
studio-outline-error-time-limit = Enter the time limit in whole minutes, from 1 to 10080, or leave the field empty.

studio-outline-delete-title = { $kind ->
    [chapter] Delete the section?
    [sequential] Delete the subsection?
   *[other] Delete the unit?
}
studio-outline-delete-lead = { $kind ->
    [chapter] The section “{ $name }” will be deleted from the course “{ $course }” with everything in it.
    [sequential] The subsection “{ $name }” will be deleted from the course “{ $course }” with everything in it.
   *[other] The unit “{ $name }” will be deleted from the course “{ $course }” with everything in it.
}
studio-outline-delete-inside = This also deletes:
studio-outline-delete-empty = There is nothing else inside.
studio-outline-count-sequentials = { $count ->
    [one] 1 subsection
   *[other] { $count } subsections
}
studio-outline-count-verticals = { $count ->
    [one] 1 unit
   *[other] { $count } units
}
studio-outline-count-components = { $count ->
    [one] 1 component (text, problem, video…)
   *[other] { $count } components (texts, problems, videos…)
}
studio-outline-delete-draft-note = Deleting is a change in the draft: learners keep seeing the published content until you publish the changes. Until then you can also discard the draft.
studio-outline-delete-unpublished-note = This item has not been published yet, so learners do not see it.
studio-outline-delete-confirm = { $kind ->
    [chapter] Yes, delete the section
    [sequential] Yes, delete the subsection
   *[other] Yes, delete the unit
}
studio-outline-delete-cancel = No, back to the course outline

studio-outline-settings-title = { $kind ->
    [chapter] Section settings
   *[other] Subsection settings
}
studio-outline-settings-lead = Course “{ $course }”. Enter dates in Polish time. Changes go to the draft.
studio-outline-settings-name = Name
studio-outline-settings-grading = Grading
studio-outline-settings-graded = The subsection is graded
studio-outline-settings-format = Assignment type
studio-outline-settings-format-hint = The course's grading policy defines the assignment types and their weights.
studio-outline-settings-not-graded = Not graded
studio-outline-settings-due = Due date
studio-outline-settings-due-hint = Date and time, e.g. 2026-12-12 23:59. Leave empty if there is no due date.
studio-outline-settings-timing = Time to complete
studio-outline-settings-time-limit = Time limit in minutes
studio-outline-settings-time-limit-hint = Learners have this many minutes from when they start. Leave empty for no time limit.
studio-outline-settings-release = Release
studio-outline-settings-start = Release on
studio-outline-settings-start-hint-chapter = Date and time from which learners see the section. Leave empty to release it with the course.
studio-outline-settings-start-hint-sequential = Date and time from which learners see the subsection. Leave empty to follow the section's date.
studio-outline-settings-draft-note = Settings are saved in the draft; learners see them once the changes are published.
studio-outline-settings-save = Save settings
