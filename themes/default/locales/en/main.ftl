## Layout
site-tagline = Remote Work and Learning System
skip-to-content = Skip to content
nav-main-label = Main menu
nav-home = Home
nav-organisations = My offices
nav-admin = Administration
nav-studio = Studio
lang-switch-label = change the site language
login = Sign in
logout = Sign out
register = Create account
accessibility-statement = Accessibility statement
terms-title = Terms and data protection
terms-read = Read the terms of service and the personal data information
footer-text = SZPoN – learning and remote work in public administration.
optional = optional
save = Save

## Home
home-title = Home
home-heading = Learn and work remotely in public administration
home-lead = SZPoN combines an Open edX-compatible course platform with a virtual office: tasks, calendars, e-visit booking and calls.
home-welcome = Welcome, { $name }!
home-your-organisations = { $count ->
    [one] You belong to { $count } office:
   *[other] You belong to { $count } offices:
}
home-go-profile = Go to your profile
home-start = Get started
home-about = What SZPoN offers
home-about-learning = Courses for officials and citizens – even without an account.
home-about-office = A virtual office: tasks, Outlook-compatible calendars, e-visits and calls.
home-about-accessibility = The service meets WCAG 2.1 level AA and works fully with a keyboard.

## Forms and errors
error-summary-title = Please correct the errors in the form
error-title-prefix = Error:
field-email = Email address
field-password = Password
field-password-hint = At least 8 characters. A few words nobody would guess work best.
field-password-confirm = Repeat the password
field-current-password = Current password
field-new-password = New password
field-full-name = Full name
field-full-name-hint = As it should appear on certificates.
field-accept-terms = I accept the terms of service and the personal data policy.
field-language = Language
field-slug = Address in the service (identifier)
field-slug-hint = Lowercase letters, digits and hyphens, e.g. wola-municipality.
error-email-required = Enter an email address.
error-email-invalid = Enter an email address in the correct format, like jan.kowalski@office.gov.pl.
error-email-taken = An account with this email address already exists. Sign in or reset your password.
error-name-required = Enter your full name.
error-name-invalid = The name can have at most 200 characters and cannot contain < or >.
error-password-required = Enter your password.
error-password-short = The password must have at least 8 characters.
error-password-long = The password is too long.
error-password-is-email = The password cannot be the same as the email address.
error-password-mismatch = The passwords do not match.
error-password-wrong = The current password is wrong.
error-terms-required = To create an account, accept the terms of service.
error-login-failed = Wrong email address or password.
error-language-invalid = Choose a language from the list.
error-department-name = Enter the department's name (at most 200 characters).
error-department-exists = A department with this name already exists.
error-no-such-user = There is no account with this email address. Ask the person to create one.
error-role-invalid = Choose a role from the list.
error-slug-invalid = The identifier may contain only lowercase letters, digits and single hyphens (2–64 characters).
error-slug-taken = This identifier is already taken.
error-org-name = Enter the office's name (at most 300 characters).
error-org-kind = Choose the kind of office from the list.

## Error pages
error-code = Error code: { $code }
error-request-id = request id:
error-go-home = Go to the home page
error-400-title = Bad request
error-400-message = The submitted data could not be processed. Go back to the previous page and try again.
error-403-title = Access denied
error-403-message = You do not have permission to see this page. If you think this is a mistake, contact your office's administrator.
error-404-title = Page not found
error-404-message = The page you are looking for does not exist or has moved. Check the address or go to the home page.
error-429-title = Too many attempts
error-429-message = There were too many attempts in a short time. Wait a moment and try again.
error-500-title = Server error
error-500-message = Sorry, something went wrong. Try again in a moment. If the error persists, give the administrator the request id.
error-503-title = Service temporarily unavailable
error-503-message = The service is temporarily unavailable. Try again in a few minutes.
error-csrf-title = The form has expired
error-csrf-message = For security reasons we could not accept the form. Go back, reload the page and submit the form again.

## Sign in and registration
login-title = Sign in
login-submit = Sign in
login-link = Already have an account? Sign in
forgot-link = Forgot your password?
register-link = No account? Create one
register-title = Create an account
register-lead = An account keeps your course progress, earns certificates and gives access to the virtual office.
register-submit = Create account
forgot-title = Reset your password
forgot-lead = Enter your account's email address. We will send a one-time link to set a new password.
forgot-submit = Send the link
forgot-sent-title = Check your email
forgot-sent-text = If an account with this address exists, we have sent it a link to set a new password. The link is valid for 60 minutes and works once.
reset-title = Set a new password
reset-submit = Save the new password
reset-invalid = This link is not valid: it has expired or has already been used.
reset-request-new = Request a new link
mail-reset-subject = Set a new password for SZPoN
mail-reset-greeting = Hello { $name },
mail-reset-body = We received a request to set a new password for your SZPoN account. To set a new password, open the link below. It is valid for { $minutes } minutes and works once.
mail-reset-ignore = If you did not ask to change your password, ignore this message – your password stays the same.

## Notifications
flash-registered = Your account has been created. Welcome to SZPoN!
flash-logged-out = You have signed out.
flash-password-reset = Your password has been changed. Sign in with the new password.
flash-password-changed = Your password has been changed. Your other sessions were signed out.
flash-profile-saved = Your profile has been saved.
flash-department-added = Department added.
flash-department-set = Department changed.
flash-member-added = Person added to the office.
flash-member-removed = Person removed from the office.
flash-org-created = Office created.

## Profile
profile-title = Your profile
profile-data = Account details
profile-save = Save changes
profile-organisations = Your offices and roles
profile-no-organisations = You do not belong to any office yet.
password-change-link = Change password
password-change-title = Change password
password-change-submit = Change password
back-to-profile = Back to profile

## Offices
orgs-title = My offices
org-name = Office name
org-roles = Roles
org-role = Role
org-kind = Kind of office
org-members = Staff and learners
org-department = Department
org-department-of = Department of { $name }
org-no-department = no department
org-departments = Departments
org-no-departments = No departments yet.
org-department-name = Name of the new department
org-add-department = Add department
org-actions = Actions
org-remove-member = Remove from office
org-add-member = Add a person
org-add-member-hint = The person needs a SZPoN account.
org-add-member-submit = Add person
members-count = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
role-administrator = administrator
role-author = course author
role-official = official
role-learner = learner
org-kind-ministry = ministry
org-kind-central_office = central office
org-kind-voivodeship_office = voivodeship office
org-kind-marshal_office = marshal's office
org-kind-county_office = county office
org-kind-municipality = municipal office
org-kind-other = other body
admin-orgs-title = Offices in the service
admin-orgs-list = All offices
admin-orgs-empty = There are no offices yet.
admin-orgs-new = New office
admin-orgs-create = Create office

## Studio
studio-title = Studio – course authoring
studio-lead = Authors create and publish their offices' courses here.
studio-your-organisations = Offices you can author courses for
studio-import-link = Import a course from Open edX
studio-courses = Courses
studio-no-courses = Your offices have no courses yet. Import one from Open edX.
studio-course-title = Title
studio-course-key = Course identifier
studio-import-title = Import a course from Open edX
studio-import-lead = Upload a course or library export from Open edX Studio. The whole course comes in: structure, content, problems, files and grading. Importing the same course again creates a new version of it.
studio-no-organisation = You are not a course author in any office.
studio-organisation = Office that owns the course
studio-file = Export file
studio-file-hint = A .tar.gz from Open edX Studio (Tools → Export), or a .zip or .tar, at most { $gib } GiB.
studio-upload-label = Upload progress
studio-upload-progress = Uploaded {"{"}percent{"}"}%
studio-upload-processing = File uploaded. Importing the course…
studio-upload-failed = The upload failed. Check your connection and try again.
studio-import-submit = Import course
studio-back = Back to Studio
studio-error-import = The course could not be imported and nothing was stored: { $detail }
studio-error-too-large = The file is larger than 2 GiB.
studio-error-no-file = Choose a course export file.
studio-error-organisation = Choose an office from the list.
studio-error-other-organisation = A course with this identifier belongs to another office.
studio-version = Version
studio-blocks = Course elements
studio-blocks-count = { $count ->
    [one] { $count } element
   *[other] { $count } elements
}
studio-files = Files
studio-files-count = { $count ->
    [one] { $count } file
   *[other] { $count } files
}
studio-unsupported-heading = Elements not supported yet
studio-unsupported-text = These elements were kept unchanged and come back in an export, but SZPoN does not show them yet. Learners see a notice in their place.
studio-blocks-heading = Course content
studio-block-type = Kind of element
studio-count = Count
studio-status = Support in SZPoN
studio-supported = supported
studio-not-supported = not supported yet
studio-warnings-heading = Import warnings
studio-no-warnings = No warnings.
flash-course-imported = The course has been imported.

## Learning: catalog, about, courseware
nav-courses = Courses
catalog-title = Course catalog
catalog-lead = Courses of offices and public institutions. You can start public courses at once, without an account.
catalog-search-label = Course search
catalog-search = Search (title or office)
catalog-language = Language
catalog-organisation = Office
catalog-any = All
catalog-filter = Show courses
catalog-clear = Clear filters
catalog-results = Results
catalog-count = { $count ->
    [one] { $count } course found.
   *[other] { $count } courses found.
}
catalog-empty = No courses found. Change the search or clear the filters.
course-public-badge = Open without an account
course-enrolled-badge = Enrolled
breadcrumbs = Breadcrumbs
course-organisation = Offered by
course-go-learn = Go to the course
course-your-grade = Your grade: { $percent }%
course-unenroll = Leave the course
course-learn-anonymously = Learn without an account
course-anonymous-explained = We keep your progress in this browser. When you create an account or sign in, it moves to your account.
course-enroll = Enrol in the course
course-sign-in-to-enroll = Sign in to enrol
course-start = Starts
course-end = Ends
course-effort = Effort
course-duration = Duration
course-overview = About the course
course-about = Course description
course-nav-label = Course navigation
flash-enrolled = You are enrolled in the course.
flash-unenrolled = You have left the course.
outline-title = Course outline
outline-progress = Units completed: { $done } of { $total }.
outline-progress-label = Course progress
outline-resume = Resume where you left off
outline-start = Start the course
outline-graded = Graded: { $format }
outline-due = Due: { $date }
completed = completed
anonymous-notice = You are learning without an account. Create an account or sign in to keep your progress for good and to get a certificate.
sequence-label = Units in “{ $title }”
sequence-position = Unit { $position } of { $count }
pager-label = Previous and next unit
pager-previous = Previous
pager-next = Next
pager-finish = See your progress
block-unsupported-title = This item is not available yet.
block-unsupported = Blocks of type “{ $type }” will be supported in a later version of SZPoN. The rest of the unit works as usual.
video-unsupported = Your browser cannot play this video. Download the transcript below.
video-youtube-link = Watch “{ $title }” on YouTube
video-no-source = This video has no playable source.
video-transcripts = Transcript
video-transcript-download = Download the transcript ({ $language })
progress-title = Progress
progress-grade = Course grade: { $percent }
progress-letter = grade: { $letter }
progress-passed = Course passed.
progress-not-passed = Not passed yet (pass mark: { $cutoff }).
progress-chart = Scores by assignment type
progress-chart-desc = Bar chart: the percent score of every graded assignment and the averages per type. The same data is in the table below the chart.
progress-chart-caption = Bars with a dashed outline and an asterisk (*) are scores dropped from the average. The dashed horizontal line is the pass mark.
progress-table-caption = Scores by assignment type (chart data)
progress-col-item = Item
progress-col-score = Score
progress-col-detail = Details
progress-dropped = dropped
progress-subsections = Scores per subsection
progress-col-subsection = Subsection
progress-col-type = Type
progress-col-points = Points
progress-col-percent = Percent
progress-ungraded = ungraded
problem-broken = This problem cannot be shown: { $error }
problem-points = { $possible } points possible
problem-points-earned = { $earned } of { $possible } points
problem-attempts = Attempts: { $used } of { $max }
problem-due = Due: { $date }
problem-graded = Score: { $score } of { $max } points.
problem-input-error = Your answer could not be graded: { $error }. No attempt was used.
problem-scripted = This problem is graded by a script. Scripted grading comes in a later version of SZPoN; your answer did not use an attempt.
problem-closed = This problem is closed: the due date has passed or all attempts are used.
problem-needs-reset = To answer again, reset the problem first (you will get a new variant).
problem-conflict = The answer was sent at the same time from another window. Reload the page and try again.
problem-check = Submit
problem-hint = Hint ({ $n } of { $total })
problem-show-answer = Show answer
problem-reset = Reset
conditional-locked = This content appears once you complete the earlier activities.
problem-wait = Wait { $seconds } more seconds before answering again.
studio-scripted = Problems graded by Python scripts
studio-scripted-count = { $count ->
    [0] none
    [one] { $count } problem (shown; scripted grading comes in a later version)
   *[other] { $count } problems (shown; scripted grading comes in a later version)
}
video-unsupported-no-transcript = Your browser cannot play this video.
studio-visibility = Who may learn
studio-visibility-hint = A public course can be started without an account. A course can also be open only to enrolled people or only to the office's staff.
studio-visibility-keep = Unchanged (a new course: enrolled people)
studio-visibility-public = Everyone, also without an account
studio-visibility-enrolled = Signed-in people who enrol
studio-visibility-organisation = Only the selected office's staff
studio-settings-title = Course settings
studio-settings-save = Save settings
studio-settings-back = Back to the course summary
studio-certificates = Certificates
studio-certificates-pass = On passing (a grade at or above the pass cutoff)
studio-certificates-completion = On completing every part of the course, whatever the grade
studio-certificates-off = The course gives no certificates
studio-certificate-grade = State the grade on the certificate
studio-gamification = Points and badges
studio-gamification-on = Award points and badges and keep a leaderboard (joining it is optional)
studio-points-unit = Points for a completed unit
studio-points-correct = Points for a problem answered fully right
studio-points-hint = A whole number from 0 to 1000.
studio-error-points = Enter a whole number from 0 to 1000.
studio-error-visibility = Choose who may learn.
studio-error-certificates = Choose when the course gives certificates.
flash-settings-saved = Course settings saved.
poll-vote = Submit
poll-vote-again = Change your answer
poll-voted = Your answer has been saved.
poll-results-private = Only the course staff see the results of this poll.
poll-csv = Download the answers (CSV)
poll-results = { $voters ->
    [one] Results: { $voters } person answered
   *[other] Results: { $voters } people answered
}
poll-col-question = Question
poll-col-answer = Answer
poll-col-votes = Votes
poll-col-percent = Percent
flash-poll-incomplete = Answer every question of the survey.
flash-poll-voted = Thank you, your answer has been saved.
flash-poll-limit = Your answer was not saved: you have already answered as many times as allowed.
cert-yours = Your certificate
cert-download-pdf = Download the certificate (PDF)
cert-download-badge = Download the Open Badges 3.0 credential (JSON)
cert-verify-page = Certificate verification page
cert-need-account = To get a certificate with your name, create an account – your progress moves with you.
cert-verify-title = Certificate verification
cert-unknown = Certificate not found
cert-unknown-text = SZPoN has no certificate with this number. Check the address or ask the institution that issued it.
cert-valid = This certificate is valid.
cert-valid-short = valid
cert-revoked = This certificate has been revoked
cert-revoke-reason = Reason for revoking
cert-name = Name
cert-course = Course
cert-organisation = Issued by
cert-issued = Issued on
cert-grade = Grade
cert-number = Certificate number
cert-json = Data as JSON
cert-staff-title = Issued certificates
cert-status = Status
cert-action = Action
cert-revoke = Revoke
cert-none = No certificates have been issued in this course yet.
cert-how-pass = You get a certificate when you pass the course (a grade of at least { $cutoff }).
cert-how-completion = You get a certificate when you complete every part of the course.
cert-profile-heading = My certificates
cert-profile-none = You have no certificates yet. You get one when you complete a course.
cert-status-not-valid = not valid
flash-revoked = The certificate has been revoked.
flash-revoke-reason = Give the reason for revoking.
org-logo = Office logo
org-logo-text = The logo appears on certificates from the office's courses and on their verification pages.
org-logo-alt = Logo: { $name }
org-logo-file = Logo file
org-logo-hint = PNG or JPEG, at most 1 MB. Landscape works best, on a transparent or white background.
org-logo-save = Save logo
org-logo-remove = Remove logo
org-logo-too-large = The file is larger than 1 MB.
org-logo-missing = Choose a logo file.
org-logo-type = The logo must be a PNG or JPEG file.
flash-logo-saved = Office logo saved.
flash-logo-removed = Office logo removed.
