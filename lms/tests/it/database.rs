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
    assert!(
        db.migrate(&sets).unwrap().is_empty(),
        "second run applies nothing"
    );

    let mut conn = db.get().unwrap();
    revert_migrations(&mut conn, &sets).unwrap();
    drop(conn);
    for t in ["users", "organisations", "sessions", "office_settings"] {
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
