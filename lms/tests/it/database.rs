//! Migrations on both backends: up, down (every down.sql), up again; the schema the code declares
//! matches what the migrations create.

use diesel::prelude::*;
use platform::db::{revert_migrations, run_migrations, Db};
use platform::web::migration_sets;

use crate::helpers::*;

fn schema_is_queryable(db: &Db) {
    use platform::db::schema::*;
    let mut c = db.get().unwrap();
    // Selecting every declared column proves each exists with a compatible type.
    organisations::table
        .select(organisations::all_columns)
        .limit(1)
        .load::<(
            String,
            String,
            String,
            String,
            String,
            chrono::NaiveDateTime,
            Option<String>,
            Option<String>,
        )>(&mut c)
        .unwrap();
    departments::table
        .select(departments::all_columns)
        .limit(1)
        .load::<(String, String, String, chrono::NaiveDateTime)>(&mut c)
        .unwrap();
    users::table
        .select(platform::models::user::User::as_select())
        .limit(1)
        .load(&mut c)
        .unwrap();
    memberships::table
        .select(memberships::all_columns)
        .limit(1)
        .load::<(String, String, Option<String>, chrono::NaiveDateTime)>(&mut c)
        .unwrap();
    user_roles::table
        .select(user_roles::all_columns)
        .limit(1)
        .load::<(String, String, String, chrono::NaiveDateTime)>(&mut c)
        .unwrap();
    sessions::table
        .select(sessions::all_columns)
        .limit(1)
        .load::<(
            String,
            String,
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
            Option<String>,
        )>(&mut c)
        .unwrap();
    password_resets::table
        .select(password_resets::all_columns)
        .limit(1)
        .load::<(
            String,
            String,
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
            Option<chrono::NaiveDateTime>,
        )>(&mut c)
        .unwrap();
    // Studio's and the learner side's tables, through their own row types.
    studio::store::courses::table
        .select(studio::store::CourseRow::as_select())
        .limit(1)
        .load(&mut c)
        .unwrap();
    studio::store::course_versions::table
        .select(studio::store::course_versions::all_columns)
        .limit(1)
        .load::<(
            String,
            String,
            i32,
            String,
            String,
            Option<String>,
            chrono::NaiveDateTime,
            String,
        )>(&mut c)
        .unwrap();
    studio::team::course_team::table
        .select(studio::team::course_team::all_columns)
        .limit(1)
        .load::<(
            String,
            String,
            String,
            Option<String>,
            chrono::NaiveDateTime,
        )>(&mut c)
        .unwrap();
    {
        use lms::learning::db::*;
        learner_blocks::table
            .select(BlockState::as_select())
            .limit(1)
            .load(&mut c)
            .unwrap();
        learner_courses::table
            .select(CourseRecord::as_select())
            .limit(1)
            .load(&mut c)
            .unwrap();
        lms::certificates::store::certificates::table
            .select(lms::certificates::store::Certificate::as_select())
            .limit(1)
            .load(&mut c)
            .unwrap();
        {
            use lms::surveys::store::*;
            surveys::table
                .select(Survey::as_select())
                .limit(1)
                .load(&mut c)
                .unwrap();
            survey_questions::table
                .select(QuestionRow::as_select())
                .limit(1)
                .load(&mut c)
                .unwrap();
            survey_responses::table
                .select(Response::as_select())
                .limit(1)
                .load(&mut c)
                .unwrap();
            survey_answers::table
                .select(Answer::as_select())
                .limit(1)
                .load(&mut c)
                .unwrap();
            survey_respondents::table
                .select(survey_respondents::all_columns)
                .limit(1)
                .load::<(String, String)>(&mut c)
                .unwrap();
        }
        lms::learning::exams::exam_attempts::table
            .select(lms::learning::exams::Attempt::as_select())
            .limit(1)
            .load(&mut c)
            .unwrap();
        {
            use lms::gamification::store::*;
            gam_points::table
                .select(PointsEvent::as_select())
                .limit(1)
                .load(&mut c)
                .unwrap();
            gam_badges::table
                .select(Badge::as_select())
                .limit(1)
                .load(&mut c)
                .unwrap();
            gam_leaderboard::table
                .select(Membership::as_select())
                .limit(1)
                .load(&mut c)
                .unwrap();
            gam_activity::table
                .select(gam_activity::all_columns)
                .limit(1)
                .load::<(String, String, String)>(&mut c)
                .unwrap();
        }
        enrollments::table
            .select(enrollments::all_columns)
            .limit(1)
            .load::<(String, String, chrono::NaiveDateTime)>(&mut c)
            .unwrap();
    }
}

/// The office plugin's tables as `office_plugin::schema` declares them.
fn office_schema_is_queryable(db: &Db) {
    use chrono::NaiveDateTime as T;
    use office_plugin::schema::*;
    type S = String;
    type O = Option<String>;
    type OT = Option<T>;
    type I = i32;
    type OI = Option<i32>;
    type B = bool;
    let mut c = db.get().unwrap();
    office_settings::table
        .select(office_settings::all_columns)
        .limit(1)
        .load::<(S, B, T)>(&mut c)
        .unwrap();
    office_tasks::table
        .select(office_tasks::all_columns)
        .limit(1)
        .load::<(S, S, S, S, S, O, O, O, OT, S, S, O, O, T, T, OT)>(&mut c)
        .unwrap();
    office_task_history::table
        .select(office_task_history::all_columns)
        .limit(1)
        .load::<(S, S, O, S, O, O, S, T)>(&mut c)
        .unwrap();
    office_task_checklist::table
        .select(office_task_checklist::all_columns)
        .limit(1)
        .load::<(S, S, I, S, B, O, T)>(&mut c)
        .unwrap();
    office_task_comments::table
        .select(office_task_comments::all_columns)
        .limit(1)
        .load::<(S, S, O, S, T)>(&mut c)
        .unwrap();
    office_task_attachments::table
        .select(office_task_attachments::all_columns)
        .limit(1)
        .load::<(S, S, S, S, i64, S, O, T)>(&mut c)
        .unwrap();
    office_task_watchers::table
        .select(office_task_watchers::all_columns)
        .limit(1)
        .load::<(S, S)>(&mut c)
        .unwrap();
    office_todos::table
        .select(office_todos::all_columns)
        .limit(1)
        .load::<(S, S, S, B, O, I, T, OT)>(&mut c)
        .unwrap();
    office_notifications::table
        .select(office_notifications::all_columns)
        .limit(1)
        .load::<(S, S, O, S, S, S, O, O, T, OT, B, OT)>(&mut c)
        .unwrap();
    office_notification_prefs::table
        .select(office_notification_prefs::all_columns)
        .limit(1)
        .load::<(S, S, B, B)>(&mut c)
        .unwrap();
    office_events::table
        .select(office_events::all_columns)
        .limit(1)
        .load::<(S, S, S, O, S, S, S, T, T, S, I, S, T, T)>(&mut c)
        .unwrap();
    office_event_attendees::table
        .select(office_event_attendees::all_columns)
        .limit(1)
        .load::<(S, S, S, O, S, OT)>(&mut c)
        .unwrap();
    office_feed_tokens::table
        .select(office_feed_tokens::all_columns)
        .limit(1)
        .load::<(S, S, S, T, OT, OT)>(&mut c)
        .unwrap();
    office_matters::table
        .select(office_matters::all_columns)
        .limit(1)
        .load::<(S, S, S, S, S, S, S, I, I, I, OI, I, I, OI, B, T, T)>(&mut c)
        .unwrap();
    office_matter_handlers::table
        .select(office_matter_handlers::all_columns)
        .limit(1)
        .load::<(S, S, O, O)>(&mut c)
        .unwrap();
    office_availability::table
        .select(office_availability::all_columns)
        .limit(1)
        .load::<(S, S, S, S, OI, T)>(&mut c)
        .unwrap();
    office_bookings::table
        .select(office_bookings::all_columns)
        .limit(1)
        .load::<(
            S,
            S,
            S,
            S,
            T,
            T,
            I,
            I,
            S,
            S,
            S,
            S,
            O,
            S,
            S,
            I,
            I,
            O,
            O,
            T,
            T,
            OT,
            S,
        )>(&mut c)
        .unwrap();
    office_booking_cells::table
        .select(office_booking_cells::all_columns)
        .limit(1)
        .load::<(S, T, S)>(&mut c)
        .unwrap();
    office_booking_seats::table
        .select(office_booking_seats::all_columns)
        .limit(1)
        .load::<(S, S, I, S)>(&mut c)
        .unwrap();
}

/// Diesel keeps one table of applied versions for every migration set, so two sets sharing a
/// version would make the second look applied and never run.
#[test]
fn migration_versions_are_unique_across_sets() {
    use diesel::migration::MigrationSource;
    let mut seen = std::collections::HashMap::new();
    for set in migration_sets(&lms::plugins()) {
        for m in MigrationSource::<diesel::sqlite::Sqlite>::migrations(set.sqlite).unwrap() {
            let v = m.name().version().to_string();
            if let Some(other) = seen.insert(v.clone(), set.name) {
                panic!("version {v} is in both {other} and {}", set.name);
            }
        }
        let pg: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(set.postgres)
            .unwrap()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        let lite: Vec<String> = MigrationSource::<diesel::sqlite::Sqlite>::migrations(set.sqlite)
            .unwrap()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        assert_eq!(
            pg, lite,
            "{}: the same migrations on both backends",
            set.name
        );
    }
}

fn table_exists(db: &Db, name: &str) -> bool {
    let mut c = db.get().unwrap();
    diesel::sql_query(format!("SELECT 1 FROM {name} LIMIT 1"))
        .execute(&mut c)
        .is_ok()
}

fn migrations_go_up_down_up(b: Backend) {
    let tdb = TestDb::new(b);
    let db = Db::connect(&tdb.url, Some(2)).unwrap();
    let sets = migration_sets(&lms::plugins());
    let applied = db.migrate(&sets).unwrap();
    assert!(applied.len() >= 2, "{applied:?}");
    assert!(
        table_exists(&db, "office_settings"),
        "the office plugin's migration ran"
    );
    schema_is_queryable(&db);
    office_schema_is_queryable(&db);
    assert!(
        db.migrate(&sets).unwrap().is_empty(),
        "second run applies nothing"
    );

    let mut conn = db.get().unwrap();
    revert_migrations(&mut conn, &sets).unwrap();
    drop(conn);
    for t in [
        "users",
        "organisations",
        "sessions",
        "office_settings",
        "office_tasks",
        "office_bookings",
        "office_booking_cells",
    ] {
        assert!(!table_exists(&db, t), "{t} survived down.sql");
    }
    let mut conn = db.get().unwrap();
    let again = run_migrations(&mut conn, &sets).unwrap();
    assert_eq!(again, applied);
    drop(conn);
    schema_is_queryable(&db);
}

#[test]
fn migrations_sqlite() {
    migrations_go_up_down_up(Backend::Sqlite);
}

#[test]
fn migrations_postgres() {
    migrations_go_up_down_up(Backend::Postgres);
}

/// Times survive a round trip unchanged on both engines (stored as UTC, microseconds).
fn times_round_trip(b: Backend) {
    let tdb = TestDb::new(b);
    let db = Db::connect(&tdb.url, Some(2)).unwrap();
    db.migrate(&migration_sets(&[])).unwrap();
    let mut c = db.get().unwrap();
    let o = platform::models::organisation::create(&mut c, "czas", "Czas", "other").unwrap();
    let back = platform::models::organisation::find_by_slug(&mut c, "czas")
        .unwrap()
        .unwrap();
    assert_eq!(o.created_at, back.created_at);
    assert_eq!(back.id.len(), 36, "UUIDs stored as text");
}

#[test]
fn times_round_trip_sqlite() {
    times_round_trip(Backend::Sqlite);
}

#[test]
fn times_round_trip_postgres() {
    times_round_trip(Backend::Postgres);
}
