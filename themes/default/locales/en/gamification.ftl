# Gamification: dashboard, levels, badges, leaderboard.
gam-nav-dashboard = My dashboard
gam-dashboard-title = My dashboard
gam-dashboard-intro = Your courses, points, badges and certificates in one place.
gam-points-heading = Points and level
gam-points-total = Points: { $points }
gam-level = Level { $number }: { $name }
gam-level-progress-label = Progress to the next level
gam-to-next = { $points ->
    [one] { $points } point
   *[other] { $points } points
} to “{ $name }”.
gam-top-level = You have reached the highest level.
gam-streak-heading = Learning streak
gam-streak-current = Current streak: { $days ->
    [one] { $days } day
   *[other] { $days } days
}
gam-streak-longest = Longest streak: { $days ->
    [one] { $days } day
   *[other] { $days } days
}
gam-streak-help = A streak is consecutive days on which you make progress in a course (a unit completed or an answer checked). It lasts if you learn today or learned yesterday.
gam-courses-heading = My courses
gam-courses-none = You have not started a course yet.
gam-courses-browse = Browse courses
gam-col-course = Course
gam-col-units = Units completed
gam-col-grade = Grade
gam-col-points = Points
gam-units-label = Units completed in { $course }
gam-grade-label = Grade in { $course }
gam-units-value = { $done } of { $total } ({ $percent }%)
gam-grade-value = { $percent }%
gam-grade-none = no grades yet
gam-passed = passed
gam-no-points = no points
gam-badges-heading = My badges
gam-badges-none = You have no badges yet. You earn them by completing chapters and courses, learning several days in a row and answering right first time.
gam-certificates-heading = My certificates
gam-certificates-none = You have no certificates yet.
gam-cert-revoked = revoked
gam-ranking-link = Course leaderboard

gam-level-1 = Newcomer
gam-level-2 = Learner
gam-level-3 = Practitioner
gam-level-4 = Adept
gam-level-5 = Expert
gam-level-6 = Master

gam-badge-chapter = Chapter completed: { $subject }
gam-badge-chapter-criteria = Completing every unit of the chapter “{ $subject }” in the course “{ $course }”.
gam-badge-streak = { $subject }-day streak
gam-badge-streak-criteria = Progress in the course “{ $course }” on { $subject } consecutive days.
gam-badge-first-time = Right first time
gam-badge-first-time-criteria = A fully right first attempt at every scored problem of the course “{ $course }”.
gam-badge-course = Course completed
gam-badge-course-criteria = Completing every unit of the course “{ $course }”.

gam-badge-title = Badge
gam-badge-holder = Holder
gam-badge-course-label = Course
gam-badge-organisation = Issuer
gam-badge-awarded = Awarded
gam-badge-criteria-label = Awarded for
gam-badge-number = Badge number
gam-badge-download = Download the badge (Open Badges 3.0, JSON-LD)
gam-badge-image = Badge image (SVG)
gam-badge-verify-note = This page is the badge's verification address. A badge kept in a digital wallet points here.

gam-ranking-title = Leaderboard
gam-ranking-heading = Course leaderboard: { $title }
gam-ranking-privacy = The leaderboard is voluntary. It shows only people who joined it — under a random pseudonym by default. A real name appears only when its owner chooses so.
gam-ranking-caption = Top of the leaderboard (first { $top } places)
gam-ranking-col-rank = Place
gam-ranking-col-name = Participant
gam-ranking-col-points = Points
gam-ranking-you = (you)
gam-ranking-pseudonym = pseudonym
gam-ranking-empty = Nobody has joined the leaderboard yet.
gam-ranking-own-caption = Your place
gam-ranking-my-points = Your points in this course: { $points }
gam-ranking-join-heading = Taking part
gam-ranking-join = Join the leaderboard under a pseudonym
gam-ranking-leave = Leave the leaderboard
gam-ranking-member = You are on the leaderboard as “{ $name }”.
gam-ranking-member-pseudonym = Others see you as “{ $pseudonym }”.
gam-ranking-show-name = Show my real name instead of the pseudonym
gam-ranking-hide-name = Back to the pseudonym
gam-ranking-not-member = You are not on the leaderboard. Other learners cannot see you.
gam-ranking-sign-in = Sign in to join the leaderboard.

flash-gam-joined = You joined the leaderboard under a pseudonym.
flash-gam-left = You left the leaderboard.
flash-gam-name-shown = The leaderboard now shows your real name.
flash-gam-name-hidden = The leaderboard now shows your pseudonym.
