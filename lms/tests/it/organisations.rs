//! Access control per organisation, exercised through the real handlers across two offices.

use diesel::prelude::*;
use platform::access::Role;
use platform::models::organisation;

use crate::both_backends;
use crate::helpers::*;

both_backends!(
    roles_do_not_cross_organisations,
    organisation_admin_manages_members
);

struct World {
    a_id: String,
    b_id: String,
}

fn world(st: &platform::web::AppState) -> World {
    let mut conn = st.db.get().unwrap();
    let a =
        organisation::create(&mut conn, "gmina-wola", "Urząd Gminy Wola", "municipality").unwrap();
    let b = organisation::create(
        &mut conn,
        "powiat-x",
        "Starostwo Powiatowe X",
        "county_office",
    )
    .unwrap();
    drop(conn);
    let users = [
        (
            "admin-a@wola.pl",
            "Admin A",
            Some((&a.id, Role::Administrator)),
        ),
        (
            "admin-b@powiat.pl",
            "Admin B",
            Some((&b.id, Role::Administrator)),
        ),
        (
            "urzednik-a@wola.pl",
            "Urzędnik A",
            Some((&a.id, Role::Official)),
        ),
        ("autor-a@wola.pl", "Autor A", Some((&a.id, Role::Author))),
        ("uczen-a@wola.pl", "Uczeń A", Some((&a.id, Role::Learner))),
        ("obywatel@example.pl", "Obywatel", None),
    ];
    for (email, name, role) in users {
        let id = make_user(st, email, name, "hasło testowe 1", false);
        if let Some((org, role)) = role {
            let mut conn = st.db.get().unwrap();
            organisation::grant_role(&mut conn, org, &id, role).unwrap();
        }
    }
    make_user(
        st,
        "root@szpon.pl",
        "Administrator Platformy",
        "hasło testowe 1",
        true,
    );
    World {
        a_id: a.id,
        b_id: b.id,
    }
}

fn member_count(st: &platform::web::AppState, org: &str) -> i64 {
    use platform::db::schema::memberships;
    let mut conn = st.db.get().unwrap();
    memberships::table
        .filter(memberships::organisation_id.eq(org))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

async fn roles_do_not_cross_organisations(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let w = world(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);

    // Anonymous: sent to log in.
    let r = c.get("/organizacje/gmina-wola").await;
    r.assert_status(303);
    assert!(r.location().starts_with("/logowanie?next="));

    c.login("admin-a@wola.pl", "hasło testowe 1")
        .await
        .assert_status(303);
    c.get("/organizacje/gmina-wola")
        .await
        .assert_status(200)
        .assert_contains("Urzędnik A");
    c.get("/organizacje/powiat-x")
        .await
        .assert_status(403)
        .assert_contains("Brak dostępu")
        .assert_contains("<main");
    c.get("/organizacje/nie-istnieje").await.assert_status(404);
    let before = member_count(&st, &w.b_id);
    c.post(
        "/organizacje/powiat-x/czlonkowie",
        &[
            ("member_email", "obywatel@example.pl"),
            ("role", "administrator"),
        ],
    )
    .await
    .assert_status(403);
    c.post(
        "/organizacje/powiat-x/dzialy",
        &[("department_name", "Wydział Komunikacji")],
    )
    .await
    .assert_status(403);
    assert_eq!(member_count(&st, &w.b_id), before);
    c.get("/admin/organizacje").await.assert_status(403);
    c.get("/biuro").await.assert_status(200); // administrators may use the office

    // An official of A may view A but not manage it, and sees nothing of B.
    c.fresh_jar();
    c.login("urzednik-a@wola.pl", "hasło testowe 1").await;
    c.get("/organizacje/gmina-wola").await.assert_status(200);
    c.post(
        "/organizacje/gmina-wola/czlonkowie",
        &[
            ("member_email", "obywatel@example.pl"),
            ("role", "administrator"),
        ],
    )
    .await
    .assert_status(403);
    c.get("/organizacje/powiat-x").await.assert_status(403);
    c.get("/biuro")
        .await
        .assert_status(200)
        .assert_contains("Urząd Gminy Wola");
    c.get("/studio").await.assert_status(403);

    // Author: Studio yes, office no. Learner: neither, and no view of the member list.
    c.fresh_jar();
    c.login("autor-a@wola.pl", "hasło testowe 1").await;
    c.get("/studio")
        .await
        .assert_status(200)
        .assert_contains("Urząd Gminy Wola");
    c.get("/biuro").await.assert_status(403);
    c.fresh_jar();
    c.login("uczen-a@wola.pl", "hasło testowe 1").await;
    c.get("/organizacje/gmina-wola").await.assert_status(403);
    c.get("/studio").await.assert_status(403);
    c.get("/biuro").await.assert_status(403);

    // The platform administrator reaches both and creates offices.
    c.fresh_jar();
    c.login("root@szpon.pl", "hasło testowe 1").await;
    c.get("/organizacje/powiat-x").await.assert_status(200);
    c.get("/admin/organizacje").await.assert_status(200);
    c.post(
        "/admin/organizacje",
        &[
            ("name", "Ministerstwo Cyfryzacji"),
            ("slug", "mc"),
            ("kind", "ministry"),
        ],
    )
    .await
    .assert_status(303);
    c.post(
        "/admin/organizacje",
        &[("name", "Duplikat"), ("slug", "mc"), ("kind", "ministry")],
    )
    .await
    .assert_status(422)
    .assert_contains("już zajęty");
    c.post(
        "/admin/organizacje",
        &[("name", "X"), ("slug", "Złe Slug"), ("kind", "nope")],
    )
    .await
    .assert_status(422)
    .assert_contains("href=\"#slug\"")
    .assert_contains("href=\"#kind\"");
    let _ = w.a_id;
}

async fn organisation_admin_manages_members(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let w = world(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("admin-a@wola.pl", "hasło testowe 1").await;
    let page = c.get("/organizacje/gmina-wola").await;
    page.assert_contains("4 osoby"); // Polish plural: 4 members

    c.post(
        "/organizacje/gmina-wola/czlonkowie",
        &[("member_email", "obywatel@example.pl"), ("role", "learner")],
    )
    .await
    .assert_status(303);
    c.get("/organizacje/gmina-wola")
        .await
        .assert_contains("5 osób")
        .assert_contains("Obywatel");
    c.post(
        "/organizacje/gmina-wola/czlonkowie",
        &[("member_email", "nikt@example.pl"), ("role", "learner")],
    )
    .await
    .assert_status(422)
    .assert_contains("Nie ma konta z tym adresem");

    c.post(
        "/organizacje/gmina-wola/dzialy",
        &[("department_name", "Wydział Spraw Obywatelskich")],
    )
    .await
    .assert_status(303);
    c.post(
        "/organizacje/gmina-wola/dzialy",
        &[("department_name", "Wydział Spraw Obywatelskich")],
    )
    .await
    .assert_status(422)
    .assert_contains("już istnieje");
    let deps = {
        let mut conn = st.db.get().unwrap();
        organisation::departments(&mut conn, &w.a_id).unwrap()
    };
    let uid = {
        let mut conn = st.db.get().unwrap();
        platform::models::user::find_by_email(&mut conn, "obywatel@example.pl")
            .unwrap()
            .unwrap()
            .id
    };
    c.post(
        &format!("/organizacje/gmina-wola/czlonkowie/{uid}/dzial"),
        &[("department_id", &deps[0].id)],
    )
    .await
    .assert_status(303);
    let members = {
        let mut conn = st.db.get().unwrap();
        organisation::members(&mut conn, &w.a_id).unwrap()
    };
    let m = members.iter().find(|m| m.user_id == uid).unwrap();
    assert_eq!(m.department_id.as_deref(), Some(deps[0].id.as_str()));

    // A department of another office cannot be assigned.
    let foreign = {
        let mut conn = st.db.get().unwrap();
        organisation::create_department(&mut conn, &w.b_id, "Obcy wydział").unwrap()
    };
    c.post(
        &format!("/organizacje/gmina-wola/czlonkowie/{uid}/dzial"),
        &[("department_id", &foreign.id)],
    )
    .await
    .assert_status(400);

    c.post(
        &format!("/organizacje/gmina-wola/czlonkowie/{uid}/usun"),
        &[],
    )
    .await
    .assert_status(303);
    assert_eq!(member_count(&st, &w.a_id), 4);
}
