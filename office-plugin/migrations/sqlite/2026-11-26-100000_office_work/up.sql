-- The virtual office, part 1: tasks, to-do, notifications, calendars, booking.
-- Instants are UTC TIMESTAMPs; local (Europe/Warsaw) dates are TEXT 'YYYY-MM-DD'.

CREATE TABLE office_tasks (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL REFERENCES users(id),
    -- Who assigned it to the current assignee (the creator, or the last delegator).
    delegated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    assignee_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    assignee_department_id TEXT REFERENCES departments(id) ON DELETE SET NULL,
    due_at TIMESTAMP,
    priority TEXT NOT NULL DEFAULT 'normal',
    status TEXT NOT NULL DEFAULT 'new',
    -- An RRULE (RFC 5545) for recurring tasks; the next occurrence is created when one closes.
    recurrence TEXT,
    -- The first task of a recurring series (itself for the first one).
    series_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);
CREATE INDEX office_tasks_org ON office_tasks(organisation_id, status);
CREATE INDEX office_tasks_assignee ON office_tasks(assignee_user_id, status);
CREATE INDEX office_tasks_department ON office_tasks(assignee_department_id, status);
CREATE INDEX office_tasks_delegator ON office_tasks(delegated_by);
CREATE INDEX office_tasks_due ON office_tasks(due_at);
-- One occurrence per due time in a series, even when two people close the last one at once.
CREATE UNIQUE INDEX office_tasks_series_due ON office_tasks(series_id, due_at);

CREATE TABLE office_task_history (
    id TEXT PRIMARY KEY NOT NULL,
    task_id TEXT NOT NULL REFERENCES office_tasks(id) ON DELETE CASCADE,
    actor_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    -- created, edited, delegated, due, priority, status, checklist, attachment, watcher
    kind TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX office_task_history_task ON office_task_history(task_id, created_at);

CREATE TABLE office_task_checklist (
    id TEXT PRIMARY KEY NOT NULL,
    task_id TEXT NOT NULL REFERENCES office_tasks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    done BOOLEAN NOT NULL DEFAULT 0,
    assignee_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX office_task_checklist_task ON office_task_checklist(task_id, position);

CREATE TABLE office_task_comments (
    id TEXT PRIMARY KEY NOT NULL,
    task_id TEXT NOT NULL REFERENCES office_tasks(id) ON DELETE CASCADE,
    author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX office_task_comments_task ON office_task_comments(task_id, created_at);

CREATE TABLE office_task_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    task_id TEXT NOT NULL REFERENCES office_tasks(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- The bytes, in the blob store (as course assets are).
    sha256 TEXT NOT NULL,
    uploaded_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX office_task_attachments_task ON office_task_attachments(task_id);

CREATE TABLE office_task_watchers (
    task_id TEXT NOT NULL REFERENCES office_tasks(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, user_id)
);

-- Personal to-do items: private notes, never shown to anyone else.
CREATE TABLE office_todos (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    done BOOLEAN NOT NULL DEFAULT 0,
    due_on TEXT,
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    done_at TIMESTAMP
);
CREATE INDEX office_todos_user ON office_todos(user_id, done, position);

CREATE TABLE office_notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE CASCADE,
    -- assigned, delegated, comment, due_tomorrow, overdue, booking_new, booking_changed, ...
    kind TEXT NOT NULL,
    -- What it is about, in words (a task title), and where to go.
    subject TEXT NOT NULL,
    link TEXT NOT NULL,
    actor_name TEXT,
    -- Makes a reminder once-only (e.g. 'overdue:<task>:<due>').
    dedupe_key TEXT,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    -- The email outbox: set when the person wants this by email, cleared once sent.
    email_pending BOOLEAN NOT NULL DEFAULT 0,
    emailed_at TIMESTAMP
);
CREATE INDEX office_notifications_user ON office_notifications(user_id, read_at, created_at);
CREATE INDEX office_notifications_pending ON office_notifications(email_pending);
CREATE UNIQUE INDEX office_notifications_dedupe ON office_notifications(user_id, dedupe_key);

CREATE TABLE office_notification_prefs (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    in_app BOOLEAN NOT NULL,
    email BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Calendars: a person's own events, and department events (department_id set).
CREATE TABLE office_events (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    organiser_id TEXT NOT NULL REFERENCES users(id),
    department_id TEXT REFERENCES departments(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    -- confirmed, cancelled
    status TEXT NOT NULL DEFAULT 'confirmed',
    -- iCalendar SEQUENCE: raised on every change that is sent to attendees.
    sequence INTEGER NOT NULL DEFAULT 0,
    uid TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX office_events_organiser ON office_events(organiser_id, starts_at);
CREATE INDEX office_events_department ON office_events(department_id, starts_at);
CREATE INDEX office_events_org ON office_events(organisation_id, starts_at);

CREATE TABLE office_event_attendees (
    event_id TEXT NOT NULL REFERENCES office_events(id) ON DELETE CASCADE,
    -- Lower-case address; colleagues also have user_id.
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    -- NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE (iCalendar PARTSTAT)
    partstat TEXT NOT NULL DEFAULT 'NEEDS-ACTION',
    replied_at TIMESTAMP,
    PRIMARY KEY (event_id, email)
);
CREATE INDEX office_event_attendees_user ON office_event_attendees(user_id);

-- Secret subscription feeds (ICS). Only the SHA-256 of the token is kept.
CREATE TABLE office_feed_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    digest TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX office_feed_tokens_user ON office_feed_tokens(user_id);

-- Booking (e-wizyta): matters an office publishes.
CREATE TABLE office_matters (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- What to bring, one item per line.
    documents TEXT NOT NULL DEFAULT '',
    -- office, online
    mode TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    duration_min INTEGER NOT NULL,
    buffer_before_min INTEGER NOT NULL DEFAULT 0,
    buffer_after_min INTEGER NOT NULL DEFAULT 0,
    step_min INTEGER,
    min_notice_min INTEGER NOT NULL DEFAULT 0,
    window_days INTEGER NOT NULL DEFAULT 30,
    cap_per_day INTEGER,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX office_matters_org ON office_matters(organisation_id, active);

-- Who handles a matter: an official, or a whole department (every official in it).
CREATE TABLE office_matter_handlers (
    id TEXT PRIMARY KEY NOT NULL,
    matter_id TEXT NOT NULL REFERENCES office_matters(id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    department_id TEXT REFERENCES departments(id) ON DELETE CASCADE
);
CREATE INDEX office_matter_handlers_matter ON office_matter_handlers(matter_id);

-- An official's availability in one organisation. weekly: JSON, seven lists (Monday first) of
-- ["HH:MM","HH:MM"]; exceptions: JSON list of {"off":["from","to"]} or {"date":..,"hours":[..]}.
CREATE TABLE office_availability (
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    official_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    weekly TEXT NOT NULL,
    exceptions TEXT NOT NULL DEFAULT '[]',
    cap_per_day INTEGER,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (organisation_id, official_id)
);

CREATE TABLE office_bookings (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    matter_id TEXT NOT NULL REFERENCES office_matters(id),
    official_id TEXT NOT NULL REFERENCES users(id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    buffer_before_min INTEGER NOT NULL,
    buffer_after_min INTEGER NOT NULL,
    -- The local (Europe/Warsaw) date it starts on, for daily caps and statistics.
    local_day TEXT NOT NULL,
    mode TEXT NOT NULL,
    citizen_name TEXT NOT NULL,
    citizen_email TEXT NOT NULL,
    citizen_phone TEXT,
    note TEXT NOT NULL DEFAULT '',
    -- booked, cancelled, done, no_show
    status TEXT NOT NULL DEFAULT 'booked',
    -- iCalendar SEQUENCE of the citizen's invitation.
    sequence INTEGER NOT NULL DEFAULT 0,
    -- Part of every signed link; raising it revokes the links sent so far.
    link_version INTEGER NOT NULL DEFAULT 0,
    cancel_reason TEXT,
    -- citizen, official
    cancelled_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE INDEX office_bookings_official ON office_bookings(official_id, starts_at);
CREATE INDEX office_bookings_org ON office_bookings(organisation_id, starts_at);
CREATE INDEX office_bookings_matter ON office_bookings(matter_id, local_day);

-- No double booking, enforced by the database: a live booking holds every 5-minute cell of its
-- time widened by its buffers, and a cell can be held once per official. Durations, buffers,
-- steps and hours are multiples of 5 minutes, so overlapping bookings always share a cell.
CREATE TABLE office_booking_cells (
    official_id TEXT NOT NULL,
    cell_start TIMESTAMP NOT NULL,
    booking_id TEXT NOT NULL REFERENCES office_bookings(id) ON DELETE CASCADE,
    PRIMARY KEY (official_id, cell_start)
);
CREATE INDEX office_booking_cells_booking ON office_booking_cells(booking_id);

-- Daily caps, enforced the same way: the n-th booking of a scope ('official:<id>' or
-- 'matter:<id>') on a day holds seat n, 1 <= n <= cap; two racing for the last seat collide.
CREATE TABLE office_booking_seats (
    scope TEXT NOT NULL,
    local_day TEXT NOT NULL,
    n INTEGER NOT NULL,
    booking_id TEXT NOT NULL REFERENCES office_bookings(id) ON DELETE CASCADE,
    PRIMARY KEY (scope, local_day, n)
);
CREATE INDEX office_booking_seats_booking ON office_booking_seats(booking_id);
