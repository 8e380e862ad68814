# Virtual office: notifications
notification-title = Notifications
notification-unread-count = { $count ->
    [0] You have no unread notifications.
    [one] You have { $count } unread notification.
   *[other] You have { $count } unread notifications.
}
notification-none = You have no notifications.
notification-mark-all = Mark all as read
notification-mark-read = Mark as read
notification-state-unread = Unread
notification-state-read = Read
notification-by = by { $name }
notification-settings-link = Notification settings
notification-settings-title = Notification settings
notification-settings-lead = Choose what you are told about in the app and what by email.
notification-settings-caption = Notifications by kind
notification-col-kind = Kind
notification-col-app = In the app
notification-col-email = By email
notification-settings-save = Save settings
notification-back = Back to notifications
flash-notification-read = The notification was marked as read.
flash-notification-all-read = All notifications were marked as read.
flash-notification-settings = The notification settings were saved.
notification-kind-assigned = A task was assigned to you
notification-kind-delegated = A task was delegated
notification-kind-comment = New comment on a task
notification-kind-due_tomorrow = A task is due tomorrow
notification-kind-overdue = A task is overdue
notification-kind-booking_new = New appointment booking
notification-kind-booking_changed = Appointment changed or cancelled
notification-kind-invitation = Event invitation
notification-email-by = By: { $name }
notification-email-open = Open: { $url }
notification-email-settings = Notification settings: { $url }
