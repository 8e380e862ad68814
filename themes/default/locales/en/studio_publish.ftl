# Studio: the draft, publishing, versions, rollback, importing a new version
studio-publish-changes-title = Unpublished changes
studio-publish-changes-lead = Changes to the course's structure and content go to the draft first. Learners see only the published version until you publish the changes: a whole unit, a whole section, or everything at once.
studio-publish-no-changes = No unpublished changes. Learners see the course as the draft has it.
studio-publish-count = { $count ->
    [one] { $count } unpublished change
   *[other] { $count } unpublished changes
}
studio-publish-all = Publish everything
studio-publish-unit = Publish unit
studio-publish-section = Publish section
studio-publish-section-named = Publish section “{ $name }”
studio-publish-discard = Discard changes
studio-publish-course-level = Changes to the whole course
studio-publish-no-name = no name
studio-publish-heading-section = Section { $n }: { $name }
studio-publish-heading-unit = Unit { $n }: { $name }
studio-publish-place-section = Section { $n }
studio-publish-place-subsection = Subsection { $n }
studio-publish-place-unit = Unit { $n }
studio-publish-named = { $what } “{ $name }”
studio-publish-unnamed = { $what } (no name)
studio-publish-kind-added = + Added
studio-publish-kind-removed = − Removed
studio-publish-kind-moved = ↕ Moved
studio-publish-kind-changed = ~ Changed
studio-publish-type-course = course
studio-publish-type-chapter = section
studio-publish-type-sequential = subsection
studio-publish-type-vertical = unit
studio-publish-type-html = text
studio-publish-type-problem = problem
studio-publish-type-video = video
studio-publish-type-poll = poll
studio-publish-type-survey = survey
studio-publish-type-word-cloud = word cloud
studio-publish-type-discussion = discussion
studio-publish-type-library-content = problems from a library
studio-publish-type-openassessment = peer assessment
studio-publish-type-other = component of type { $type }
studio-publish-detail-name = name changed from “{ $from }” to “{ $to }”
studio-publish-detail-content = content changed
studio-publish-detail-fields = settings changed: { $fields }
studio-publish-detail-moved-from = previous place: { $place }
studio-publish-field-graded = grading
studio-publish-field-format = assignment type
studio-publish-field-due = due date
studio-publish-field-start = release date
studio-publish-field-hidden = hidden from learners
studio-publish-field-weight = weight
studio-publish-field-attempts = number of attempts
studio-publish-field-showanswer = showing the answer
studio-publish-field-time-limit = time limit
studio-publish-done = Published as version { $number }. Learners see these changes now.
flash-published = The changes were published as a new version of the course. Learners see them now.
flash-draft-discarded = The unpublished changes were discarded. The draft is the published version again.
flash-draft-none = There were no unpublished changes to discard.
studio-publish-error-title = Cannot publish
studio-publish-problem = What went wrong
studio-publish-what-now = What to do
studio-publish-nothing-changed = Nothing was changed: learners still see the course's previous version.
studio-publish-back = Go back
studio-publish-error-return = The return address does not lead to this course's Studio pages, so nothing was published. Open the list of unpublished changes and publish from there.
studio-publish-error-scope = It is not clear what to publish. Use “Publish unit”, “Publish section” or “Publish everything” on the list of unpublished changes.
studio-publish-error-nothing = There is nothing to publish here: the published version already has this content. Check the list of unpublished changes.
studio-publish-error-not-found = This item is neither in the draft nor in the published course. It may have been deleted meanwhile; open the list of unpublished changes again.
studio-publish-error-parent-subsection = Unit “{ $name }” cannot be published on its own: its subsection “{ $parent }” is not published yet. Publish section “{ $section }” first (with that subsection), or everything.
studio-publish-error-parent-section = Unit “{ $name }” cannot be published on its own: its section “{ $parent }” is not published yet. Publish section “{ $parent }” first, or everything.
studio-publish-error-parent-other = Cannot publish: { $block } is in a place that is not published yet ({ $parent_named }). Publish section “{ $section }” first, or everything.
studio-publish-discard-title = Discard the unpublished changes?
studio-publish-discard-lead = { $count ->
    [one] { $count } unpublished change in the course “{ $course }” will be deleted.
   *[other] { $count } unpublished changes in the course “{ $course }” will be deleted.
} The draft goes back to the published version learners see. This cannot be undone.
studio-publish-discard-confirm = Yes, discard the changes
studio-publish-discard-cancel = No, back to the list of changes
studio-publish-versions-title = Published versions
studio-publish-versions-lead = Every publish, import and settings change makes a new version of the course. You can restore any earlier version: it is published as a new one and the history is kept. Times are Polish time.
studio-publish-col-number = Version
studio-publish-col-source = Source
studio-publish-col-who = Who
studio-publish-col-when = When
studio-publish-col-actions = Actions
studio-publish-current = current
studio-publish-current-hint = Learners see this version.
studio-publish-restore = Restore
studio-publish-restore-which = version { $number }
studio-publish-who-unknown = not recorded (e.g. an import from the command line)
studio-publish-source-import = course imported from a file
studio-publish-source-publish = changes published
studio-publish-source-rollback = version { $number } restored
studio-publish-source-studio = course created in Studio
studio-publish-source-grading = grading policy changed
studio-publish-source-schedule = schedule changed
studio-publish-source-about = course description changed
studio-publish-source-assets = course files changed
studio-publish-source-settings = settings changed
studio-publish-source-other = other change ({ $source })
studio-publish-rolled-back = Version { $number } was restored: it is published as version { $new }. Learners see it now.
studio-publish-rollback-title = Restore version { $number }?
studio-publish-rollback-lead = The course content and settings of version { $number } will be published as the new version { $next }, and learners will see them at once. Later versions stay in the history, so you can go back to them.
studio-publish-rollback-draft-heading = Unpublished changes will be discarded
studio-publish-rollback-draft = { $count ->
    [0] The draft will be replaced by the restored version. There are no unpublished changes now.
    [one] The draft will be replaced by the restored version: { $count } unpublished change will be discarded.
   *[other] The draft will be replaced by the restored version: { $count } unpublished changes will be discarded.
}
studio-publish-rollback-confirm = Yes, restore version { $number }
studio-publish-rollback-cancel = No, back to the list of versions
studio-publish-rollback-error-title = Cannot restore
studio-publish-rollback-current = This is the course's current version: learners already see it. To delete unpublished changes, use “Discard changes” on the list of changes.
studio-publish-import-title = Import a new version of the course
studio-publish-import-lead = Upload a course export from Open edX Studio or from SZPoN (.tar.gz). All of the course's content will be replaced by the file's.
studio-publish-import-effects = What will happen
studio-publish-import-effect-publish = The file's content is published at once as a new version of the course: learners see it immediately.
studio-publish-import-effect-draft = { $count ->
    [0] The draft will be replaced. There are no unpublished changes now.
    [one] Unpublished changes will be lost: { $count } change.
   *[other] Unpublished changes will be lost: { $count } changes.
}
studio-publish-import-effect-key = If the file holds a course with another key (e.g. an export of another run), it is imported into this course and takes its key { $course }, as an import in Open edX Studio does.
studio-publish-import-effect-history = Earlier versions stay in the history: you can go back to them on the published versions page.
studio-publish-import-confirm = { $count ->
    [one] I understand that { $count } unpublished change will be lost.
   *[other] I understand that { $count } unpublished changes will be lost.
}
studio-publish-import-confirm-error = The course has unpublished changes that the import will delete. Tick the box to confirm, or publish the changes first.
studio-publish-import-submit = Import and publish
studio-publish-import-gone = This course no longer exists.
studio-publish-import-wrong-kind = The file holds a library and this is a course (or the other way round). Upload a course export.
flash-course-imported-over = A new version of the course was imported and published. The import report is below.
flash-course-imported-rekeyed = A new version of the course was imported and published. The file held a course with another key: it was imported into this course. The import report is below.
