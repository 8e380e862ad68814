// Hand-maintained to match migrations/{sqlite,postgres}; `tests::schema_matches_migrations`
// in db/mod.rs checks every column here exists after migrating.

diesel::table! {
    organisations (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        kind -> Text,
        theme -> Text,
        created_at -> Timestamp,
        logo_sha256 -> Nullable<Text>,
        logo_type -> Nullable<Text>,
    }
}

diesel::table! {
    departments (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        full_name -> Text,
        password_hash -> Text,
        is_platform_admin -> Bool,
        is_active -> Bool,
        language -> Nullable<Text>,
        terms_accepted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    memberships (user_id, organisation_id) {
        user_id -> Text,
        organisation_id -> Text,
        department_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (user_id, organisation_id, role) {
        user_id -> Text,
        organisation_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        last_seen_at -> Timestamp,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(departments -> organisations (organisation_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(memberships -> organisations (organisation_id));
diesel::joinable!(memberships -> departments (department_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    departments,
    users,
    memberships,
    user_roles,
    sessions,
    password_resets,
);
