nav-office = Virtual office
office-title = Virtual office
office-lead = Officials work remotely here: tasks, calendars, e-visit booking and calls.
office-your-offices = Offices you work in
office-name = Office
office-public-booking = Public e-visit booking
office-on = on
office-off = off
office-no-offices = You do not work in any office yet. Ask your office's administrator for the official role.
office-nav-label = Virtual office
office-nav-overview = Overview
office-nav-tasks = Tasks
office-nav-calendar = Calendar
office-nav-bookings = Appointments
office-nav-matters = Matters and availability
office-nav-statistics = Statistics
office-nav-todo = My notes
office-nav-notifications = Notifications
office-nav-unread = { $count ->
    [one] { $count } unread
   *[other] { $count } unread
}
office-attention = To do
office-open-tasks = { $count ->
    [one] { $count } open task for you or your department
   *[other] { $count } open tasks for you or your department
}
office-overdue-tasks = { $count ->
    [one] { $count } overdue task
   *[other] { $count } overdue tasks
}
office-no-overdue = No task is overdue.
office-unread = { $count ->
    [one] { $count } unread notification
   *[other] { $count } unread notifications
}
office-agenda = The next 7 days
office-agenda-task = task deadline
office-agenda-booking = appointment
office-agenda-event = event
office-agenda-empty = You have no events, appointments or task deadlines in the next 7 days.
office-agenda-calendar = The whole calendar
