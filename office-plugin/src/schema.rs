//! The office's tables, hand-written like the kernel's (`lms/tests/it/database.rs` selects every
//! column on both engines). Migrations: `office-plugin/migrations/{sqlite,postgres}/`.

diesel::table! {
    office_settings (organisation_id) {
        organisation_id -> Text,
        public_booking_enabled -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    office_tasks (id) {
        id -> Text,
        organisation_id -> Text,
        title -> Text,
        description -> Text,
        created_by -> Text,
        delegated_by -> Nullable<Text>,
        assignee_user_id -> Nullable<Text>,
        assignee_department_id -> Nullable<Text>,
        due_at -> Nullable<Timestamp>,
        priority -> Text,
        status -> Text,
        recurrence -> Nullable<Text>,
        series_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    office_task_history (id) {
        id -> Text,
        task_id -> Text,
        actor_id -> Nullable<Text>,
        kind -> Text,
        old_value -> Nullable<Text>,
        new_value -> Nullable<Text>,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    office_task_checklist (id) {
        id -> Text,
        task_id -> Text,
        position -> Integer,
        text -> Text,
        done -> Bool,
        assignee_user_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    office_task_comments (id) {
        id -> Text,
        task_id -> Text,
        author_id -> Nullable<Text>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    office_task_attachments (id) {
        id -> Text,
        task_id -> Text,
        name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        uploaded_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    office_task_watchers (task_id, user_id) {
        task_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    office_todos (id) {
        id -> Text,
        user_id -> Text,
        text -> Text,
        done -> Bool,
        due_on -> Nullable<Text>,
        position -> Integer,
        created_at -> Timestamp,
        done_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    office_notifications (id) {
        id -> Text,
        user_id -> Text,
        organisation_id -> Nullable<Text>,
        kind -> Text,
        subject -> Text,
        link -> Text,
        actor_name -> Nullable<Text>,
        dedupe_key -> Nullable<Text>,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        email_pending -> Bool,
        emailed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    office_notification_prefs (user_id, kind) {
        user_id -> Text,
        kind -> Text,
        in_app -> Bool,
        email -> Bool,
    }
}

diesel::table! {
    office_events (id) {
        id -> Text,
        organisation_id -> Text,
        organiser_id -> Text,
        department_id -> Nullable<Text>,
        title -> Text,
        description -> Text,
        location -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        status -> Text,
        sequence -> Integer,
        uid -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    office_event_attendees (event_id, email) {
        event_id -> Text,
        email -> Text,
        name -> Text,
        user_id -> Nullable<Text>,
        partstat -> Text,
        replied_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    office_feed_tokens (id) {
        id -> Text,
        user_id -> Text,
        digest -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    office_matters (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        description -> Text,
        documents -> Text,
        mode -> Text,
        location -> Text,
        duration_min -> Integer,
        buffer_before_min -> Integer,
        buffer_after_min -> Integer,
        step_min -> Nullable<Integer>,
        min_notice_min -> Integer,
        window_days -> Integer,
        cap_per_day -> Nullable<Integer>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    office_matter_handlers (id) {
        id -> Text,
        matter_id -> Text,
        user_id -> Nullable<Text>,
        department_id -> Nullable<Text>,
    }
}

diesel::table! {
    office_availability (organisation_id, official_id) {
        organisation_id -> Text,
        official_id -> Text,
        weekly -> Text,
        exceptions -> Text,
        cap_per_day -> Nullable<Integer>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    office_bookings (id) {
        id -> Text,
        organisation_id -> Text,
        matter_id -> Text,
        official_id -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        buffer_before_min -> Integer,
        buffer_after_min -> Integer,
        local_day -> Text,
        mode -> Text,
        citizen_name -> Text,
        citizen_email -> Text,
        citizen_phone -> Nullable<Text>,
        note -> Text,
        status -> Text,
        sequence -> Integer,
        link_version -> Integer,
        cancel_reason -> Nullable<Text>,
        cancelled_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        /// The citizen's language (migration `2026-11-26-230000_booking_language`).
        lang -> Text,
    }
}

diesel::table! {
    office_booking_cells (official_id, cell_start) {
        official_id -> Text,
        cell_start -> Timestamp,
        booking_id -> Text,
    }
}

diesel::table! {
    office_booking_seats (scope, local_day, n) {
        scope -> Text,
        local_day -> Text,
        n -> Integer,
        booking_id -> Text,
    }
}

diesel::joinable!(office_task_history -> office_tasks (task_id));
diesel::joinable!(office_task_checklist -> office_tasks (task_id));
diesel::joinable!(office_task_comments -> office_tasks (task_id));
diesel::joinable!(office_task_attachments -> office_tasks (task_id));
diesel::joinable!(office_task_watchers -> office_tasks (task_id));
diesel::joinable!(office_event_attendees -> office_events (event_id));
diesel::joinable!(office_matter_handlers -> office_matters (matter_id));
diesel::joinable!(office_bookings -> office_matters (matter_id));

diesel::allow_tables_to_appear_in_same_query!(
    office_settings,
    office_tasks,
    office_task_history,
    office_task_checklist,
    office_task_comments,
    office_task_attachments,
    office_task_watchers,
    office_todos,
    office_notifications,
    office_notification_prefs,
    office_events,
    office_event_attendees,
    office_feed_tokens,
    office_matters,
    office_matter_handlers,
    office_availability,
    office_bookings,
    office_booking_cells,
    office_booking_seats,
);
